namespace SignTranslate.Config;

/// <summary>
/// A configuration that cannot be used. The message is complete and meant for the user as is:
/// where (file and line, or the <c>--set</c> override), which key, and what was expected.
/// </summary>
public sealed class ConfigException(string message) : InputException(message);
