using Weft.Cli.Running;
using Weft.Core.Runs;
using Weft.Engine.Json;
using Weft.Engine.Operations;
using Weft.Engine.Storage;

namespace Weft.Cli.Commands;

/// <summary><c>weft dags list</c>: every DAG with its schedule, paused flag, tags, file, last run and errors.</summary>
internal sealed class DagsListCommand : WeftCommand
{
    public DagsListCommand()
        : base("list", "List the DAGs of the DAGs folder and the database, with files that do not load")
    {
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        await using var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        if (!Directory.Exists(context.DagsFolder))
        {
            context.WriteVerbose($"no DAGs folder at {context.DagsFolder}; listing the DAGs the database knows");
        }

        var entries = await new OperatorActions(store, TimeProvider.System).ListDagsAsync(context.DagsFolder, cancellationToken).ConfigureAwait(false);
        var items = new List<DagListItem>(entries.Count);
        foreach (var e in entries)
        {
            RunRecord? last = null;
            if (e.DagId is not null)
            {
                var page = await store.ListRunsAsync(new RunQuery(e.DagId, Limit: 1), cancellationToken).ConfigureAwait(false);
                last = page.Items.Count > 0 ? page.Items[0] : null;
            }

            items.Add(new DagListItem(
                e.DagId,
                e.Definition?.Version,
                e.Definition?.Description,
                e.File,
                e.Definition is { } d ? d.Schedule?.Text : e.Registered?.ScheduleText,
                e.Registered?.IsPaused ?? false,
                e.Registered is not null,
                e.Definition is { } def ? [.. def.Tags] : TagsOf(e.Registered),
                last?.RunId,
                last?.State.ToName(),
                e.Errors));
        }

        if (context.Json)
        {
            context.WriteJson(new DagListJson(items, items.Count));
            return ExitCodes.Success;
        }

        if (items.Count == 0)
        {
            context.WriteInfo($"no DAGs in '{context.DagsFolder}' or the database");
            return ExitCodes.Success;
        }

        RunsOutput.WriteTable(
            context.Out,
            ["dag id", "version", "schedule", "paused", "tags", "file", "last run", "errors"],
            items.Select(i => (IReadOnlyList<string>)
            [
                i.DagId ?? "-",
                i.Version ?? "",
                i.Schedule ?? "",
                i.IsPaused ? "yes" : "no",
                string.Join(",", i.Tags),
                Display(i.File),
                i.LastRunState ?? "",
                i.Errors.Count == 0 ? "" : i.Errors.Count == 1 ? i.Errors[0] : $"{i.Errors[0]} (+{i.Errors.Count - 1} more)",
            ]));
        return ExitCodes.Success;
    }

    private static IReadOnlyList<string> TagsOf(DagRecord? record) => JsonStringList.Read(record?.TagsJson);

    /// <summary>A path shown relative to the current folder when it lies below it.</summary>
    internal static string Display(string? path)
    {
        if (path is null)
        {
            return "";
        }

        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

    /// <summary>One row of the list; <see cref="DagId"/> is null for a file that does not load.</summary>
    internal sealed record DagListItem(
        string? DagId,
        string? Version,
        string? Description,
        string? File,
        string? Schedule,
        bool IsPaused,
        bool IsRegistered,
        IReadOnlyList<string> Tags,
        string? LastRunId,
        string? LastRunState,
        IReadOnlyList<string> Errors);

    internal sealed record DagListJson(IReadOnlyList<DagListItem> Dags, int TotalEntries);
}
