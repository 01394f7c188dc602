using System.CommandLine;

namespace Weft.Cli.Commands;

/// <summary><c>weft tasks</c>: operator actions on a run's task instances.</summary>
internal sealed class TasksCommand : Command
{
    public TasksCommand()
        : base("tasks", "Clear task instances so they run again, mark them success or failed, list the failed ones and replay them")
    {
        Subcommands.Add(new TasksClearCommand());
        Subcommands.Add(new TasksMarkCommand());
        Subcommands.Add(new TasksFailedCommand());
        Subcommands.Add(new TasksReplayCommand());
    }
}
