namespace Weft.Cli;

/// <summary>
/// Ends a command with an exit code and, unless <see cref="Exception.Message"/> is empty (the problem was
/// already reported, e.g. as DAG diagnostics), a <c>weft: error:</c> line and an optional hint.
/// Commands throw it from any depth rather than threading exit codes back by hand.
/// </summary>
internal sealed class CliException : Exception
{
    public CliException(int exitCode, string message, string? hint = null)
        : base(message)
    {
        ExitCode = exitCode;
        Hint = hint;
    }

    public int ExitCode { get; }

    public string? Hint { get; }

    /// <summary>A usage or validation error (exit 2).</summary>
    public static CliException Usage(string message, string? hint = null) => new(ExitCodes.Usage, message, hint);

    /// <summary>A refused operator action: exit 1 when its subject (DAG, run, task, pool) does not exist, else 2.</summary>
    public static CliException From(Weft.Engine.Operations.OperationException refused) =>
        new(refused.Error == Weft.Engine.Operations.OperationError.NotFound ? ExitCodes.Failed : ExitCodes.Usage, refused.Message, refused.Hint);

    /// <summary>Exit with a code after the problem has been printed.</summary>
    public static CliException Reported(int exitCode) => new(exitCode, string.Empty);
}
