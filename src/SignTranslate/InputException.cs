namespace SignTranslate;

/// <summary>
/// A problem with what the user gave us (a file, a value, a dataset), as opposed to a bug. The message is complete
/// and is shown as is, on one line where possible: where (file, line, sample, key) and what was expected.
/// The CLI prints it without a stack trace and exits with code 2.
/// </summary>
public class InputException(string message, Exception? inner = null) : Exception(message, inner);
