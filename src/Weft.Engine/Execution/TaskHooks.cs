using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Json;
using Weft.Engine.Storage;

namespace Weft.Engine.Execution;

/// <summary>
/// A task's own <c>on_success</c>, <c>on_retry</c> and <c>on_failure</c> hooks. An attempt's end queues its hook;
/// the hooks start once the state they report is committed, run beside the run, and the run waits for them before
/// it returns, so a short-lived <c>weft run</c> does not exit under them. A failing hook is logged, never fatal.
/// </summary>
internal sealed class TaskHooks(DagDefinition dag, ILogger logger)
{
    private readonly List<(HookDefinition Hook, string Json, Dictionary<string, string> Environment)> _queued = [];
    private readonly List<Task> _running = [];

    /// <summary>Queues the hook for how the task's attempt ended, if the task has one.</summary>
    public void Queue(TaskDefinition task, RunRecord run, TaskInstanceRecord ended)
    {
        var (hook, name) = ended.State switch
        {
            TaskState.Success => (task.OnSuccess, "success"),
            TaskState.UpForRetry => (task.OnRetry, "retry"),
            TaskState.Failed => (task.OnFailure, "failure"),
            _ => (null, null),
        };
        if (hook is null || name is null)
        {
            return;
        }

        var json = AttemptJson(run, ended, name);
        _queued.Add((hook, json, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["WEFT_TASK_JSON"] = json,
            ["WEFT_HOOK_EVENT"] = name,
            ["WEFT_DAG_ID"] = run.DagId,
            ["WEFT_RUN_ID"] = run.RunId,
            ["WEFT_TASK_ID"] = ended.TaskId,
            ["WEFT_ATTEMPT"] = ended.TryNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
    }

    /// <summary>Starts the queued hooks; called after the commit that recorded what they report.</summary>
    public void Start()
    {
        foreach (var (hook, json, environment) in _queued)
        {
            _running.Add(Task.Run(() => HookDelivery.SendAsync(dag, hook, json, environment, logger, CancellationToken.None)));
        }

        _queued.Clear();
        _running.RemoveAll(t => t.IsCompleted);
    }

    /// <summary>Starts what is queued and waits for every hook still running.</summary>
    public Task DrainAsync()
    {
        Start();
        return Task.WhenAll(_running);
    }

    /// <summary>The task instance as the run JSON shows it, with the DAG, the run and the event beside it.</summary>
    private static string AttemptJson(RunRecord run, TaskInstanceRecord ended, string name)
    {
        using var task = new MemoryStream();
        using (var w = new Utf8JsonWriter(task))
        {
            RunJson.WriteTask(w, ended);
        }

        using var parsed = JsonDocument.Parse(task.ToArray());
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("event", name);
            w.WriteString("dag_id", run.DagId);
            w.WriteString("run_id", run.RunId);
            foreach (var property in parsed.RootElement.EnumerateObject())
            {
                property.WriteTo(w);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
