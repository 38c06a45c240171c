namespace SignTranslate.Data;

/// <summary>
/// A dataset file does not have the expected structure. The message always names the file and, where known, the
/// sample and the field, so the command line can print it as one line without a stack trace.
/// </summary>
public sealed class DataFormatException : InputException
{
    public DataFormatException(string file, string? sample, string? field, string problem)
        : base(Describe(file, sample, field, problem))
    {
        File = file;
        Sample = sample;
        Field = field;
        Problem = problem;
    }

    /// <summary>A problem at a line of a text file (CSV, split lists): <c>file:line: ...</c>.</summary>
    public DataFormatException(string file, int line, string? field, string problem)
        : base($"{file}:{line}: {(field is null ? "" : $"field '{field}': ")}{problem}")
    {
        File = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    public string File { get; }
    public int? Line { get; }
    public string? Sample { get; }
    public string? Field { get; }
    public string Problem { get; }

    private static string Describe(string file, string? sample, string? field, string problem)
    {
        var where = file;
        if (sample is not null) where += $": sample '{sample}'";
        if (field is not null) where += $": field '{field}'";
        return $"{where}: {problem}";
    }
}
