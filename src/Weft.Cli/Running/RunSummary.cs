using Spectre.Console;
using Weft.Core.Runs;
using Weft.Engine.Storage;

namespace Weft.Cli.Running;

/// <summary>The table printed when a run ends: every task with its state, tries, duration and reason.</summary>
internal static class RunSummary
{
    public static void Write(CliContext context, RunSnapshot snapshot)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(context.Out),
            Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (Console.IsOutputRedirected)
        {
            // A file or a pipe has no width: lines are never wrapped there, so scripts can read the summary line whole.
            console.Profile.Width = 100_000;
        }
        var run = snapshot.Run;
        if (snapshot.Tasks.Count <= 200)
        {
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("task").AddColumn("state").AddColumn(new TableColumn("tries").RightAligned())
                .AddColumn(new TableColumn("duration").RightAligned()).AddColumn("note");
            foreach (var t in snapshot.Tasks)
            {
                table.AddRow(
                    Markup.Escape(t.TaskId),
                    $"[{Color(t.State)}]{t.State.ToName()}[/]",
                    $"{t.TryNumber}/{t.MaxTries}",
                    t.StartDate is { } s && t.EndDate is { } e ? Format(e - s) : "",
                    Markup.Escape(t.Reason ?? ""));
            }

            console.Write(table);
        }

        var counts = snapshot.Tasks.GroupBy(t => t.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToName()}");
        var finished = run.State is RunState.Success or RunState.Failed;
        var elapsed = run.StartDate is { } rs ? Format((finished && run.EndDate is { } re ? re : DateTimeOffset.UtcNow) - rs) : "0ms";
        var outcome = finished ? $"{run.State.ToName()}[/] in {elapsed}" : $"interrupted[/] after {elapsed}";
        console.MarkupLine($"run [bold]{Markup.Escape(run.RunId)}[/] of [bold]{Markup.Escape(run.DagId)}[/]: [{(run.State == RunState.Success ? "green" : run.State == RunState.Failed ? "red" : "yellow")}]{outcome} ({string.Join(", ", counts)})");
    }

    internal static string Color(TaskState state) => state switch
    {
        TaskState.Success => "green",
        TaskState.Failed or TaskState.UpstreamFailed => "red",
        TaskState.Skipped => "grey",
        TaskState.UpForRetry => "yellow",
        TaskState.Running => "blue",
        _ => "default",
    };

    internal static string Format(TimeSpan d) =>
        d.TotalSeconds < 1 ? $"{d.TotalMilliseconds:0}ms"
        : d.TotalMinutes < 1 ? $"{d.TotalSeconds:0.0}s"
        : d.TotalHours < 1 ? $"{(int)d.TotalMinutes}m{d.Seconds:00}s"
        : $"{(int)d.TotalHours}h{d.Minutes:00}m";
}
