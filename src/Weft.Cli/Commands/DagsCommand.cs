using System.CommandLine;

namespace Weft.Cli.Commands;

/// <summary><c>weft dags</c>: the DAGs of the DAGs folder and the database.</summary>
internal sealed class DagsCommand : Command
{
    public DagsCommand()
        : base("dags", "List, show, pause, unpause and upload DAGs (the DAGs folder merged with the database)")
    {
        Subcommands.Add(new DagsListCommand());
        Subcommands.Add(new DagsShowCommand());
        Subcommands.Add(new DagsPauseCommand(pause: true));
        Subcommands.Add(new DagsPauseCommand(pause: false));
        Subcommands.Add(new DagsTriggerCommand());
        Subcommands.Add(new DagsNextRunsCommand());
        Subcommands.Add(new DagsUploadCommand());
    }
}
