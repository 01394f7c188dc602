namespace Weft.Engine.Operations;

/// <summary>
/// An operator action that the run's current state does not allow (marking a running task, say). Callers show
/// the message and the hint; the CLI exits 2 and the API answers 409.
/// </summary>
internal sealed class OperationRefusedException(string message, string? hint = null) : Exception(message)
{
    /// <summary>What the operator can do instead; null when there is nothing useful to say.</summary>
    public string? Hint { get; } = hint;
}
