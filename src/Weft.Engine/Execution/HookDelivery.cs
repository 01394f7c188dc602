using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Weft.Core.Dags;

namespace Weft.Engine.Execution;

/// <summary>
/// Delivers a JSON document to a DAG hook: a URL gets it as a POST body, a command gets it on stdin (run by
/// <c>bash -eo pipefail -c</c> in the DAG's folder, with the given variables). A failing hook is logged,
/// never thrown: a notification must not change what happened to the run.
/// </summary>
internal static class HookDelivery
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private static readonly TimeSpan CommandLimit = TimeSpan.FromMinutes(5);

    public static async Task SendAsync(
        DagDefinition dag,
        HookDefinition hook,
        string json,
        IReadOnlyDictionary<string, string> environment,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        try
        {
            if (hook.Url is not null)
            {
                using var content = new StringContent(json, Encoding.UTF8, "application/json");
                using var response = await Http.PostAsync(hook.Url, content, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    logger.LogWarning("Hook {Url} of DAG {DagId} answered {Status}", hook.Url, dag.Id, (int)response.StatusCode);
                }
            }
            else if (hook.Command is not null)
            {
                var exitCode = await RunCommandAsync(dag, hook.Command, json, environment, cancellationToken).ConfigureAwait(false);
                if (exitCode != 0)
                {
                    logger.LogWarning("Hook command of DAG {DagId} exited with {ExitCode}", dag.Id, exitCode);
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            logger.LogWarning("Hook of DAG {DagId} failed: {Message}", dag.Id, ex.Message);
        }
    }

    private static async Task<int> RunCommandAsync(DagDefinition dag, string command, string json, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
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

        foreach (var (name, value) in environment)
        {
            psi.Environment[name] = value;
        }

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
        limit.CancelAfter(CommandLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return process.ExitCode;
    }
}
