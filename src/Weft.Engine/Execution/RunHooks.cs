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
    public static Task InvokeAsync(DagDefinition dag, RunSnapshot run, ILogger logger, CancellationToken cancellationToken)
    {
        var hook = run.Run.State switch
        {
            RunState.Success => dag.OnSuccess,
            RunState.Failed => dag.OnFailure,
            _ => null,
        };
        if (hook is null)
        {
            return Task.CompletedTask;
        }

        var json = RunJson.Serialize(run);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["WEFT_RUN_JSON"] = json,
            ["WEFT_DAG_ID"] = dag.Id,
            ["WEFT_RUN_ID"] = run.Run.RunId,
        };
        return HookDelivery.SendAsync(dag, hook, json, environment, logger, cancellationToken);
    }
}
