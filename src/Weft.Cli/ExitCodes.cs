namespace Weft.Cli;

/// <summary>The process exit codes of <c>weft</c>, as the contract fixes them.</summary>
internal static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Success = 0;

    /// <summary>The subject of the command (a run, a task) failed.</summary>
    public const int Failed = 1;

    /// <summary>Bad command line, bad input or an invalid DAG.</summary>
    public const int Usage = 2;

    /// <summary>The database, the file system or another part of the environment failed.</summary>
    public const int Infrastructure = 3;
}
