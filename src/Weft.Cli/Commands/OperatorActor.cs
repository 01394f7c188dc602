namespace Weft.Cli.Commands;

/// <summary>How operator events name an action taken on the command line.</summary>
internal static class OperatorActor
{
    /// <summary>The command line and the user running it.</summary>
    public static string CommandLine => $"the command line, user '{Environment.UserName}'";
}
