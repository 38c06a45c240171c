namespace SignTranslate.Config;

/// <summary>A configuration section that checks value ranges and combinations after loading.</summary>
public interface IValidatableConfig
{
    /// <summary>Every problem, each with the key path relative to this section.</summary>
    IEnumerable<ConfigProblem> Validate();
}

/// <summary>A value that parsed but is not acceptable. <paramref name="Key"/> is a dotted snake_case path.</summary>
public sealed record ConfigProblem(string Key, string Message)
{
    public ConfigProblem Under(string section) => this with { Key = $"{section}.{Key}" };
}
