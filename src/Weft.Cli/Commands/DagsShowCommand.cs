using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Weft.Cli.Running;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Json;
using Weft.Engine.Operations;
using Weft.Engine.Storage;

namespace Weft.Cli.Commands;

/// <summary><c>weft dags show DAG</c>: a DAG's fields, its tasks and its last runs.</summary>
internal sealed class DagsShowCommand : WeftCommand
{
    private const int LastRuns = 5;

    private readonly Argument<string> _dagId = new("DAG") { Description = "The DAG's id, or a DAG file" };

    public DagsShowCommand()
        : base("show", "Show a DAG's settings, tasks and last runs")
    {
        Arguments.Add(_dagId);
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        await using var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        var target = context.ParseResult.GetRequiredValue(_dagId);
        DagEntry entry;
        if (File.Exists(target) || Directory.Exists(target))
        {
            // A file, as 'weft plan' takes one: its definition, with what the database knows of that DAG id.
            var loaded = DagTargets.Load(context, target);
            var registered = await store.GetDagAsync(loaded.Id, cancellationToken).ConfigureAwait(false);
            entry = new DagEntry(loaded.Id, Path.GetFullPath(target), loaded, registered, []);
        }
        else
        {
            try
            {
                entry = await new OperatorActions(store, TimeProvider.System)
                    .FindDagAsync(context.DagsFolder, target, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationException refused)
            {
                throw CliException.From(refused);
            }
        }

        var dag = entry.Definition;
        var runs = (await store.ListRunsAsync(new RunQuery(entry.DagId, Limit: LastRuns), cancellationToken).ConfigureAwait(false)).Items;
        var details = new DagDetails(
            entry.DagId!,
            dag?.DisplayName,
            dag?.Version,
            dag?.Description,
            entry.File,
            dag?.Schedule?.Text ?? entry.Registered?.ScheduleText,
            dag?.TimeZone.Id,
            dag?.StartDate is { } start ? RunJson.Time(start) : null,
            dag?.EndDate is { } end ? RunJson.Time(end) : null,
            dag?.Catchup,
            dag?.MaxActiveRuns,
            dag?.MaxActiveTasks,
            dag is null ? [] : [.. dag.Tags],
            dag?.Params,
            entry.Registered?.IsPaused ?? false,
            entry.Registered is not null,
            dag is null ? [] : [.. dag.Tasks.Select(TaskSummary.Of)],
            entry.Errors);

        if (context.Json)
        {
            var node = JsonSerializer.SerializeToNode(details, CliJson.Options.TypeInfo<DagDetails>())!.AsObject();
            node["last_runs"] = new JsonArray([.. runs.Select(r => (JsonNode)RunsOutput.RunWithoutTasks(r))]);
            RunsOutput.WriteJson(context, node);
            return ExitCodes.Success;
        }

        WriteText(context, details, runs);
        return ExitCodes.Success;
    }

    private static void WriteText(CliContext context, DagDetails d, IReadOnlyList<RunRecord> runs)
    {
        var rows = new List<IReadOnlyList<string>>
        {
            new[] { "version", d.Version ?? "" },
            new[] { "description", d.Description ?? "" },
            new[] { "file", DagsListCommand.Display(d.File) },
            new[] { "schedule", d.Schedule ?? "(manual only)" },
            new[] { "timezone", d.Timezone ?? "" },
            new[] { "start date", d.StartDate ?? "" },
            new[] { "catchup", d.Catchup is { } c ? (c ? "yes" : "no") : "" },
            new[] { "max active runs", d.MaxActiveRuns?.ToString() ?? "" },
            new[] { "max active tasks", d.MaxActiveTasks?.ToString() ?? "" },
            new[] { "tags", string.Join(", ", d.Tags) },
            new[] { "paused", d.IsPaused ? "yes" : d.IsRegistered ? "no" : "no (not registered in the database yet)" },
        };
        if (d.Params is { Count: > 0 } p)
        {
            rows.Add(["params", JsonObjects.ToText(p)]);
        }

        RunsOutput.WriteTable(context.Out, ["dag", d.DagId], rows);
        foreach (var error in d.Errors)
        {
            context.Out.WriteLine($"error: {error}");
        }

        if (d.Tasks.Count > 0)
        {
            context.Out.WriteLine();
            RunsOutput.WriteTable(
                context.Out,
                ["task", "type", "depends on", "trigger rule", "retries", "pool"],
                d.Tasks.Select(t => (IReadOnlyList<string>)[t.TaskId, t.Type, string.Join(",", t.DependsOn), t.TriggerRule, t.Retries.ToString(), t.Pool]));
        }

        context.Out.WriteLine();
        if (runs.Count == 0)
        {
            context.Out.WriteLine("no runs yet");
            return;
        }

        RunsOutput.WriteTable(
            context.Out,
            ["last runs", "state", "type", "logical date", "start", "duration"],
            runs.Select(r => (IReadOnlyList<string>)
            [
                r.RunId, r.State.ToName(), r.RunType, RunsOutput.Time(r.LogicalDate), RunsOutput.Time(r.StartDate), RunsOutput.Duration(r.StartDate, r.EndDate),
            ]));
    }

    internal sealed record DagDetails(
        string DagId,
        string? DisplayName,
        string? Version,
        string? Description,
        string? File,
        string? Schedule,
        string? Timezone,
        string? StartDate,
        string? EndDate,
        bool? Catchup,
        int? MaxActiveRuns,
        int? MaxActiveTasks,
        IReadOnlyList<string> Tags,
        IReadOnlyDictionary<string, JsonElement>? Params,
        bool IsPaused,
        bool IsRegistered,
        IReadOnlyList<TaskSummary> Tasks,
        IReadOnlyList<string> Errors);

    internal sealed record TaskSummary(string TaskId, string Type, IReadOnlyList<string> DependsOn, string TriggerRule, int Retries, string Pool, string Queue)
    {
        public static TaskSummary Of(TaskDefinition t) =>
            new(t.Id, t.Type.ToString().ToLowerInvariant(), [.. t.DependsOn], t.TriggerRule.ToName(), t.Retries, t.Pool, t.Queue);
    }
}
