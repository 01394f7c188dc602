using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Weft.Core.Dags;
using Weft.Core.Definitions;
using Weft.Core.Scheduling;
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
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task NotifyAsync(DagDefinition dag, RunSnapshot run, SlaMiss miss, ILogger logger, CancellationToken cancellationToken)
    {
        if (dag.OnFailure is not { } hook)
        {
            return;
        }

        var json = Document(run, miss);
        try
        {
            if (hook.Url is not null)
            {
                using var content = new StringContent(json, Encoding.UTF8, "application/json");
                using var response = await Http.PostAsync(hook.Url, content, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    logger.LogWarning("SLA hook {Url} answered {Status}", hook.Url, (int)response.StatusCode);
                }
            }
            else if (hook.Command is not null)
            {
                await RunCommandAsync(dag, miss, hook.Command, json, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            logger.LogWarning("SLA hook of DAG {DagId} failed: {Message}", dag.Id, ex.Message);
        }
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

    private static async Task RunCommandAsync(DagDefinition dag, SlaMiss miss, string command, string json, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("/bin/bash")
        {
            WorkingDirectory = dag.BaseDirectory,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-eo", "pipefail", "-c", command })
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["WEFT_EVENT"] = SlaMiss.EventKind;
        psi.Environment["WEFT_EVENT_JSON"] = json;
        psi.Environment["WEFT_DAG_ID"] = miss.DagId;
        psi.Environment["WEFT_RUN_ID"] = miss.RunId;
        psi.Environment["WEFT_TASK_ID"] = miss.TaskId;
        using var process = Process.Start(psi)!;
        try
        {
            await process.StandardInput.WriteAsync(json.AsMemory(), cancellationToken).ConfigureAwait(false);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The hook did not read its input.
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }
}
