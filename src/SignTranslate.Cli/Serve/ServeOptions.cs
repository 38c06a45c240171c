namespace SignTranslate.Cli.Serve;

/// <summary>Settings of <c>slt serve</c>. The limits keep one upload from taking the machine: size before anything is
/// written, frames of a zip before they are extracted, duration before a video is decoded.</summary>
public sealed record ServeOptions
{
    public required string Checkpoint { get; init; }
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port (tests); the address actually used is printed and returned.</summary>
    public int Port { get; init; } = 8080;

    public long MaxUploadBytes { get; init; } = 64L * 1024 * 1024;
    public double MaxSeconds { get; init; } = 60;
    public int MaxZipFrames { get; init; } = 2000;

    /// <summary>Requests waiting for the model beyond this many are turned away with 503 instead of piling up.</summary>
    public int MaxQueue { get; init; } = 16;

    /// <summary>Frames shown as thumbnails on the timeline.</summary>
    public int Thumbnails { get; init; } = 48;

    public IReadOnlyList<string> Overrides { get; init; } = [];
}
