using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Weft.Core.Dags;
using Weft.Core.Definitions;
using Weft.Core.Scheduling;
using Weft.Engine.Execution;
using Weft.Engine.Json;
using Weft.Engine.Storage;

namespace Weft.Engine.Scheduling;

/// <summary>
/// Tells the DAG's <c>on_failure</c> hook about an SLA miss the way run hooks are told about a run: a command
/// gets a JSON document on stdin (and in <c>WEFT_EVENT_JSON</c>, with <c>WEFT_EVENT=sla_miss</c>), a URL gets
/// it as a POST body. The document names the event and the task and holds the run JSON under <c>run</c>.
/// A failing hook is logged only.
/// </summary>
internal static class SlaNotifier
{
    public static Task NotifyAsync(DagDefinition dag, RunSnapshot run, SlaMiss miss, ILogger logger, CancellationToken cancellationToken)
    {
        if (dag.OnFailure is not { } hook)
        {
            return Task.CompletedTask;
        }

        var json = Document(run, miss);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["WEFT_EVENT"] = SlaMiss.EventKind,
            ["WEFT_EVENT_JSON"] = json,
            ["WEFT_DAG_ID"] = miss.DagId,
            ["WEFT_RUN_ID"] = miss.RunId,
            ["WEFT_TASK_ID"] = miss.TaskId,
        };
        return HookDelivery.SendAsync(dag, hook, json, environment, logger, cancellationToken);
    }

    /// <summary>The notification document.</summary>
    public static string Document(RunSnapshot run, SlaMiss miss)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("event", SlaMiss.EventKind);
            w.WriteString("dag_id", miss.DagId);
            w.WriteString("run_id", miss.RunId);
            w.WriteString("task_id", miss.TaskId);
            w.WriteString("sla", Duration.Format(miss.Sla));
            w.WriteString("deadline", RunIds.Format(miss.Deadline));
            w.WriteString("message", miss.Message);
            w.WritePropertyName("run");
            RunJson.Write(w, run);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
