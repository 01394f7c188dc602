using System.Text.Json;
using Weft.Core.Dags;
using Weft.Core.Scheduling;
using Weft.Engine.Storage;

namespace Weft.Engine.Execution;

/// <summary>Creates manual runs: a fresh run id from the current time, the DAG's params overridden by the caller's.</summary>
internal static class RunLauncher
{
    public static async Task<RunRecord> CreateManualRunAsync(
        IStateStore store,
        DagDefinition dag,
        IReadOnlyDictionary<string, JsonElement>? conf,
        string? dagFile,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var effective = RunFactory.EffectiveParams(dag, conf);
        var now = time.GetUtcNow();
        for (var attempt = 0; ; attempt++)
        {
            // Two manual runs in the same millisecond would share an id; the later one moves on by a millisecond.
            var at = now.AddMilliseconds(attempt);
            var run = RunFactory.NewRun(dag, RunIds.Manual(at), "manual", at, at, at, effective, dagFile, now);
            try
            {
                await store.CreateRunAsync(run, RunFactory.NewTaskInstances(dag, run.RunId), cancellationToken).ConfigureAwait(false);
                return run;
            }
            catch (DuplicateRunException) when (attempt < 50)
            {
            }
        }
    }
}
