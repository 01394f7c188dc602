using System.Collections.Concurrent;
using Weft.Core.Definitions;
using Weft.Engine.Operations;
using Weft.Engine.Storage;

namespace Weft.Server.Dags;

/// <summary>
/// Registered DAGs as definitions for the API to show: the stored source parsed once per content hash, so a request
/// never reads the DAGs folder and always sees what the database says is registered.
/// </summary>
internal sealed class DagCatalog(IStateStore store)
{
    private readonly ConcurrentDictionary<string, LoadResult> _parsed = new(StringComparer.Ordinal);

    /// <summary>The registered DAG and its definition (null with diagnostics when the source does not load), or null when unknown.</summary>
    public async Task<(DagRecord Record, LoadResult Load)?> GetAsync(string dagId, CancellationToken cancellationToken)
    {
        var record = await store.GetDagAsync(dagId, cancellationToken);
        return record is null ? null : (record, Parse(record));
    }

    /// <summary>The definition a stored DAG record holds.</summary>
    public LoadResult Parse(DagRecord record)
    {
        if (_parsed.Count > 4096)
        {
            _parsed.Clear();
        }

        return _parsed.GetOrAdd(record.Hash + "|" + record.DagId, _ => OperatorActions.Parse(record));
    }
}
