using System.CommandLine;
using System.Text.Json.Nodes;
using Weft.Cli.Running;
using Weft.Core.Runs;
using Weft.Engine.Json;
using Weft.Engine.Operations;

namespace Weft.Cli.Commands;

/// <summary>
/// <c>weft tasks failed [--dag DAG] [--limit N]</c>: the dead letters, the task instances that failed for good
/// (their retries used up), across runs, most recent first; <c>weft tasks replay</c> runs one again.
/// </summary>
internal sealed class TasksFailedCommand : WeftCommand
{
    private readonly Option<string?> _dag = new("--dag") { Description = "Only this DAG's tasks", HelpName = "DAG" };

    private readonly Option<int> _limit = new("--limit", "-n")
    {
        Description = "How many, most recent first",
        HelpName = "N",
        DefaultValueFactory = _ => 50,
    };

    public TasksFailedCommand()
        : base("failed", "The dead letters: task instances that failed with no retry left, across runs; 'weft tasks replay' runs one again")
    {
        Options.Add(_dag);
        Options.Add(_limit);
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var parse = context.ParseResult;
        await using var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        var page = await new OperatorActions(store, TimeProvider.System)
            .ListTaskInstancesAsync(TaskState.Failed, parse.GetValue(_dag), Math.Clamp(parse.GetValue(_limit), 1, 10_000), 0, cancellationToken).ConfigureAwait(false);
        if (context.Json)
        {
            var items = new JsonArray();
            foreach (var t in page.Items)
            {
                var node = JsonNode.Parse(TaskJson(t))!.AsObject();
                node.Insert(0, "run_id", t.RunId);
                node.Insert(0, "dag_id", t.DagId);
                items.Add((JsonNode)node);
            }

            RunsOutput.WriteJson(context, new JsonObject { ["task_instances"] = items, ["total_entries"] = page.TotalEntries });
            return ExitCodes.Success;
        }

        if (page.Items.Count == 0)
        {
            context.WriteInfo("no failed task instances");
            return ExitCodes.Success;
        }

        RunsOutput.WriteTable(
            context.Out,
            ["dag", "run", "task", "tries", "ended", "reason"],
            page.Items.Select(t => (IReadOnlyList<string>)
            [
                t.DagId, t.RunId, t.TaskId, $"{t.TryNumber}/{t.MaxTries}", RunsOutput.Time(t.EndDate), Short(t.Reason ?? ""),
            ]));
        if (page.TotalEntries > page.Items.Count)
        {
            context.WriteInfo($"{page.Items.Count} of {page.TotalEntries} shown; --limit N shows more");
        }

        context.WriteInfo("replay one (it and its downstream tasks run again) with 'weft tasks replay RUN_ID TASK_ID'");
        return ExitCodes.Success;
    }

    private static string TaskJson(Weft.Engine.Storage.TaskInstanceRecord t)
    {
        using var stream = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(stream))
        {
            RunJson.WriteTask(w, t);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Short(string s)
    {
        var line = s.ReplaceLineEndings(" ");
        return line.Length > 80 ? line[..77] + "..." : line;
    }
}
