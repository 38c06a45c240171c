using System.Collections;
using System.Globalization;

namespace SignTranslate.Config;

/// <summary>
/// Collects the problems of one configuration section. Every check states the allowed range and the value found in
/// the same words ("must be > 0, got 0"), so that a user can fix the key from the message alone. The double checks
/// are written so that NaN and ±Infinity fail too: YAML accepts <c>.nan</c> and <c>.inf</c>, and a plain
/// <c>x &lt; 0</c> test lets NaN through.
/// </summary>
internal sealed class ConfigChecks : IEnumerable<ConfigProblem>
{
    private readonly List<ConfigProblem> _problems = [];

    /// <summary>A problem at <paramref name="key"/> unless <paramref name="ok"/>; for checks with their own wording.</summary>
    public ConfigChecks Require(bool ok, string key, string message)
    {
        if (!ok) _problems.Add(new ConfigProblem(key, message));
        return this;
    }

    public ConfigChecks AtLeast(string key, int value, int minimum) =>
        Require(value >= minimum, key, $"must be >= {minimum}, got {Show(value)}");

    /// <summary>Null or at least <paramref name="minimum"/>.</summary>
    public ConfigChecks AtLeastOrNull(string key, int? value, int minimum) =>
        Require(value is null || value >= minimum, key, $"must be >= {minimum} or ~ (none), got {Show(value ?? 0)}");

    public ConfigChecks Finite(string key, double value) =>
        Require(double.IsFinite(value), key, $"must be a finite number, got {Show(value)}");

    /// <summary>Finite and &gt; 0.</summary>
    public ConfigChecks Positive(string key, double value) =>
        Require(double.IsFinite(value) && value > 0, key, $"must be > 0, got {Show(value)}");

    /// <summary>Finite and ≥ 0.</summary>
    public ConfigChecks NonNegative(string key, double value) =>
        Require(double.IsFinite(value) && value >= 0, key, $"must be >= 0, got {Show(value)}");

    /// <summary>In [minimum, maximum], or [minimum, maximum) when <paramref name="maximumExcluded"/>.</summary>
    public ConfigChecks InRange(string key, double value, double minimum, double maximum, bool maximumExcluded = false) =>
        Require(value >= minimum && (maximumExcluded ? value < maximum : value <= maximum), key,
            $"must be in [{Show(minimum)}, {Show(maximum)}{(maximumExcluded ? ")" : "]")}, got {Show(value)}");

    /// <summary>
    /// A declared member of the enum. YAML also accepts an enum's number (<c>kind: 7</c>), which can name no member
    /// and would otherwise fail deep inside the code that switches on it.
    /// </summary>
    public ConfigChecks Defined<TEnum>(string key, TEnum value) where TEnum : struct, Enum =>
        Require(Enum.IsDefined(value), key,
            $"must be one of: {string.Join(", ", ConfigSchema.EnumNames(typeof(TEnum)))}, got {Convert.ToInt64(value, CultureInfo.InvariantCulture)}");

    /// <summary>One of <paramref name="allowed"/> (exact, case-sensitive), for text keys that name a fixed set.</summary>
    public ConfigChecks OneOf(string key, string value, IReadOnlyCollection<string> allowed) =>
        Require(allowed.Contains(value), key, $"must be one of: {string.Join(", ", allowed)}, got '{value}'");

    public ConfigChecks NotEmpty(string key, string value) =>
        Require(!string.IsNullOrWhiteSpace(value), key, $"must not be empty, got '{value}'");

    /// <summary>The problems of a nested section, under its YAML key.</summary>
    public ConfigChecks Section(string key, IValidatableConfig section)
    {
        _problems.AddRange(section.Validate().Select(p => p.Under(key)));
        return this;
    }

    public IEnumerator<ConfigProblem> GetEnumerator() => _problems.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A number as YAML would take it back, independent of the machine's culture.</summary>
    internal static string Show(double value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Show(int value) => value.ToString(CultureInfo.InvariantCulture);
}
