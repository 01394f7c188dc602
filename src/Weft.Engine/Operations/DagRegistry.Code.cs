using Microsoft.Extensions.Logging;
using Weft.Core.Dags;

namespace Weft.Engine.Operations;

internal sealed partial class DagRegistry
{
    private readonly Dictionary<string, DagDefinition> _code = new(StringComparer.Ordinal);

    /// <summary>The DAGs built in C# that this process's host registered, by id.</summary>
    public IReadOnlyDictionary<string, DagDefinition> CodeDags => _code;

    /// <summary>
    /// Registers a DAG built in C# by the host: it is scheduled and executed here like a folder's DAG, and its row
    /// (<see cref="CodeDagSource"/>) tells other processes to leave its runs alone.
    /// </summary>
    public async Task RegisterCodeAsync(DagDefinition dag, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var record = DagRegistration.Record(dag, CodeDagSource.Describe(dag), filePath: null, paused: false, now);
        var stored = await _store.GetDagAsync(dag.Id, cancellationToken).ConfigureAwait(false);
        if (stored is null || stored.Hash != record.Hash || stored.FilePath is not null || stored.LoadError is not null)
        {
            await _store.UpsertDagAsync(record, cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("DAG {DagId}: registered from code", dag.Id);
        }

        _code[dag.Id] = dag;
        _dags[dag.Id] = new RegisteredDag(stored is not null && stored.Hash == record.Hash ? stored : record, dag);
        _firstSeen.TryAdd(dag.Id, now);
    }
}
