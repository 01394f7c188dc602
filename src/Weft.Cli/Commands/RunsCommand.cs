using System.CommandLine;

namespace Weft.Cli.Commands;

/// <summary><c>weft runs</c>: the run history in the database.</summary>
internal sealed class RunsCommand : Command
{
    public RunsCommand()
        : base("runs", "List runs and show a run with its tasks")
    {
        Subcommands.Add(new RunsListCommand());
        Subcommands.Add(new RunsShowCommand());
    }
}
