namespace SignTranslate.Data.Pose;

/// <summary>Placeholder until the format readers land: the own format only.</summary>
public static class KeypointFileReader
{
    public static KeypointSequence Read(string path) => SltKeypointFile.Read(path);
}
