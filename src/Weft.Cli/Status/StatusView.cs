using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using Weft.Cli.Running;
using Weft.Core.Runs;

namespace Weft.Cli.Status;

/// <summary>Draws a <see cref="StatusReport"/>: one titled table per section, states in words as well as colours.</summary>
internal static class StatusView
{
    public static IRenderable Render(StatusReport report, string database)
    {
        var now = report.GeneratedAt;
        var parts = new List<IRenderable>
        {
            new Markup($"[bold]weft status[/]  [grey]{Markup.Escape(database)} · {report.GeneratedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC[/]"),
        };

        parts.Add(Section($"Active runs ({report.ActiveRuns.Count})", report.ActiveRuns.Count,
            ["dag", "run", "state", "progress", "tasks", "started", "owner"],
            report.ActiveRuns.Select(r => (IReadOnlyList<string>)
            [
                Markup.Escape(r.DagId),
                Markup.Escape(r.RunId),
                Markup.Escape(r.State),
                $"{Bar(r.TasksDone, r.TasksTotal)} {r.TasksDone}/{r.TasksTotal}",
                string.Join("  ", r.TaskStates.Select(s => $"[{ColorOf(s.Key)}]{s.Value} {Markup.Escape(s.Key)}[/]")),
                r.StartDate is { } s ? Ago(now - s) : "not yet",
                Markup.Escape(r.Owner ?? "-"),
            ])));

        parts.Add(Section($"Recent failures ({report.RecentFailures.Count})", report.RecentFailures.Count,
            ["task", "dag", "run", "try", "reason", "when"],
            report.RecentFailures.Select(f => (IReadOnlyList<string>)
            [
                $"[red]{Markup.Escape(f.TaskId)}[/]",
                Markup.Escape(f.DagId),
                Markup.Escape(f.RunId),
                f.TryNumber.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(f.Reason),
                f.EndDate is { } e ? Ago(now - e) : "",
            ])));

        parts.Add(Section($"Next runs ({report.NextRuns.Count})", report.NextRuns.Count,
            ["dag", "schedule", "run after", "in", "logical date"],
            report.NextRuns.Select(n => (IReadOnlyList<string>)
            [
                Markup.Escape(n.DagId) + (n.IsPaused ? " [yellow](paused)[/]" : ""),
                Markup.Escape(n.Schedule),
                Format(n.RunAfter),
                RunSummary.Format(n.RunAfter - now),
                Format(n.LogicalDate),
            ])));

        parts.Add(Section($"Pools ({report.Pools.Count})", report.Pools.Count,
            ["pool", "used", "slots"],
            report.Pools.Select(p => (IReadOnlyList<string>)
            [
                Markup.Escape(p.Name),
                $"{Bar(p.OccupiedSlots, p.Slots)} {p.OccupiedSlots}",
                p.Slots.ToString(CultureInfo.InvariantCulture),
            ])));

        parts.Add(Section($"Workers ({report.Workers.Count(w => w.IsAlive)} live)", report.Workers.Count,
            ["kind", "host", "pid", "lease", "heartbeat", "owner"],
            report.Workers.Select(w => (IReadOnlyList<string>)
            [
                Markup.Escape(w.Kind),
                Markup.Escape(w.Host),
                w.Pid.ToString(CultureInfo.InvariantCulture),
                w.IsAlive ? $"[green]live[/], {RunSummary.Format(w.LeaseExpiresAt - now)} left" : $"[red]expired[/] {Ago(now - w.LeaseExpiresAt)}",
                Ago(now - w.HeartbeatAt),
                Markup.Escape(w.OwnerId),
            ])));

        return new Rows(parts);
    }

    private static IRenderable Section(string title, int count, string[] columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        if (count == 0)
        {
            return new Markup($"\n[bold]{Markup.Escape(title)}[/]\n  [grey]none[/]");
        }

        var table = new Table().Border(TableBorder.None).HideRowSeparators();
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(column).Padding(0, 0, 2, 0));
        }

        foreach (var row in rows)
        {
            table.AddRow([.. row]);
        }

        return new Rows(new Markup($"\n[bold]{Markup.Escape(title)}[/]"), new Padder(table, new Padding(2, 0, 0, 0)));
    }

    /// <summary>A ten-cell bar of how much of a whole is used or done.</summary>
    private static string Bar(int part, int whole)
    {
        var filled = whole <= 0 ? 0 : Math.Clamp((int)Math.Round(10.0 * part / whole), 0, 10);
        return $"[green]{new string('█', filled)}[/][grey]{new string('░', 10 - filled)}[/]";
    }

    private static string ColorOf(string state) =>
        StateNames.TryParseTaskState(state, out var s) ? RunSummary.Color(s) : "default";

    private static string Ago(TimeSpan span) => span < TimeSpan.Zero ? "just now" : $"{RunSummary.Format(span)} ago";

    private static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z";
}
