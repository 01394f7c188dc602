using Weft.Core.Dags;
using Weft.Core.Definitions;
using Weft.Engine.Storage;

namespace Weft.Engine.Execution;

/// <summary>Which definition of its DAG a run executes: one rule for every process that executes runs.</summary>
internal static class RunDefinitions
{
    /// <summary>
    /// A run started from a DAG file (<c>weft run FILE</c>, <c>weft backfill</c>) executes that file while it still
    /// loads; any other run, or one whose file is gone or broken, executes the registered definition (the last good
    /// version of its file). Null when neither exists.
    /// </summary>
    /// <param name="registered">The definitions this process already holds, by DAG id (null when it holds none for the id).</param>
    /// <param name="parse">Parses a registered DAG's stored source; null when it does not load.</param>
    public static async Task<DagDefinition?> ResolveAsync(
        IStateStore store,
        RunRecord run,
        Func<string, DagDefinition?>? registered,
        Func<DagRecord, DagDefinition?> parse,
        CancellationToken cancellationToken)
    {
        if (run.DagFile is { } file && File.Exists(file) && DagLoader.LoadFile(file).Dag is { } fromFile && fromFile.Id == run.DagId)
        {
            return fromFile;
        }

        if (registered?.Invoke(run.DagId) is { } held)
        {
            return held;
        }

        return await store.GetDagAsync(run.DagId, cancellationToken).ConfigureAwait(false) is { } record ? parse(record) : null;
    }
}
