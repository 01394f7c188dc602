using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Json;
using Weft.Engine.Storage;

namespace Weft.Engine.Execution;

/// <summary>
/// Runs a DAG's <c>on_success</c>/<c>on_failure</c> hook when a run ends: a command gets the run JSON on stdin
/// (and in <c>WEFT_RUN_JSON</c>), a URL gets it as a POST body. A failing hook is logged, never fails the run.
/// </summary>
internal static class RunHooks
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task InvokeAsync(DagDefinition dag, RunSnapshot run, ILogger logger, CancellationToken cancellationToken)
    {
        var hook = run.Run.State switch
        {
            RunState.Success => dag.OnSuccess,
            RunState.Failed => dag.OnFailure,
            _ => null,
        };
        if (hook is null)
        {
            return;
        }

        var json = RunJson.Serialize(run);
        try
        {
            if (hook.Url is not null)
            {
                using var content = new StringContent(json, Encoding.UTF8, "application/json");
                using var response = await Http.PostAsync(hook.Url, content, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    logger.LogWarning("Hook {Url} answered {Status}", hook.Url, (int)response.StatusCode);
                }
            }
            else if (hook.Command is not null)
            {
                await RunCommandAsync(dag, hook.Command, json, logger, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException or TaskCanceledException or System.ComponentModel.Win32Exception)
        {
            logger.LogWarning("Hook of DAG {DagId} failed: {Message}", dag.Id, ex.Message);
        }
    }

    private static async Task RunCommandAsync(DagDefinition dag, string command, string json, ILogger logger, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("/bin/bash")
        {
            WorkingDirectory = dag.BaseDirectory,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-eo");
        psi.ArgumentList.Add("pipefail");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(command);
        psi.Environment["WEFT_RUN_JSON"] = json;
        psi.Environment["WEFT_DAG_ID"] = dag.Id;
        using var process = Process.Start(psi)!;
        try
        {
            await process.StandardInput.WriteAsync(json.AsMemory(), cancellationToken).ConfigureAwait(false);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The hook did not read its input; that is its choice.
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

        if (process.ExitCode != 0)
        {
            logger.LogWarning("Hook command of DAG {DagId} exited with {ExitCode}", dag.Id, process.ExitCode);
        }
    }
}
