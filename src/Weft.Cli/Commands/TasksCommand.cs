using System.CommandLine;

namespace Weft.Cli.Commands;

/// <summary><c>weft tasks</c>: operator actions on a run's task instances.</summary>
internal sealed class TasksCommand : Command
{
    public TasksCommand()
        : base("tasks", "Clear task instances so they run again, or mark them success or failed")
    {
        Subcommands.Add(new TasksClearCommand());
        Subcommands.Add(new TasksMarkCommand());
    }
}
