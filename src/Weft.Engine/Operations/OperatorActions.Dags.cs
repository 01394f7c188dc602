using Weft.Core.Definitions;
using Weft.Engine.Storage;

namespace Weft.Engine.Operations;

/// <summary>A DAG sent through the API: its text, and for a replacement the id the request names.</summary>
/// <param name="DagId">The id in the route of a PUT; the body must define that DAG. Null for a POST.</param>
/// <param name="Replace">True for a PUT: an uploaded DAG of that id is replaced (or created).</param>
internal sealed record DagUpload(string Text, string? DagId, bool Replace);

/// <summary>What an upload did: the stored DAG, or null when the text has errors; the diagnostics either way.</summary>
internal sealed record DagUploadOutcome(DagRecord? Record, LoadResult Load, bool Created);

internal sealed partial class OperatorActions
{
    /// <summary>
    /// The name an uploaded DAG's text is read under: its extension picks JSON (text starting with <c>{</c>) or YAML,
    /// as <see cref="Parse"/> reads the stored source again.
    /// </summary>
    public static string UploadName(string stem, string text) => stem + (text.TrimStart().StartsWith('{') ? ".json" : ".yaml");

    /// <summary>
    /// Validates a DAG's text with the checks a file gets and stores it in the database, where the scheduler picks it up
    /// as it does a file's DAG. An id that a file of the DAGs folder defines is refused: the file stays the truth.
    /// </summary>
    /// <exception cref="OperationException">The id is a file's (conflict), exists and this is no replacement (conflict), or differs from the route's (invalid).</exception>
    public async Task<DagUploadOutcome> UploadDagAsync(DagUpload upload, string? actor, CancellationToken cancellationToken)
    {
        var load = DagLoader.LoadText(upload.Text, UploadName(upload.DagId ?? "request", upload.Text));
        if (load.Dag is not { } dag)
        {
            return new DagUploadOutcome(null, load, Created: false);
        }

        if (upload.DagId is not null && dag.Id != upload.DagId)
        {
            throw OperationException.Invalid($"the body defines DAG '{dag.Id}', not '{upload.DagId}'", $"send it to /api/v1/dags/{dag.Id}, or change its 'id'");
        }

        var existing = await store.GetDagAsync(dag.Id, cancellationToken).ConfigureAwait(false);
        if (existing?.FilePath is { } file && File.Exists(file))
        {
            throw OperationException.Conflict($"DAG '{dag.Id}' is defined by the file {file}; change the file, or give the uploaded DAG another id");
        }

        if (existing is not null && !upload.Replace)
        {
            throw OperationException.Conflict($"DAG '{dag.Id}' exists; PUT /api/v1/dags/{dag.Id} replaces it");
        }

        var record = DagRegistration.Record(dag, upload.Text, filePath: null, paused: false, time.GetUtcNow());
        await store.UpsertDagAsync(record, cancellationToken).ConfigureAwait(false);
        await AuditAsync(OperatorEvents.DagUploaded, dag.Id, null, null, existing is null ? "DAG uploaded" : "DAG replaced", actor, cancellationToken).ConfigureAwait(false);
        var warnings = await PoolWarningsAsync(dag, cancellationToken).ConfigureAwait(false);
        return new DagUploadOutcome(
            existing is null ? record : record with { IsPaused = existing.IsPaused },
            warnings.Count == 0 ? load : load with { Diagnostics = [.. load.Diagnostics, .. warnings] },
            Created: existing is null);
    }

    /// <summary>Removes an uploaded DAG: it is no longer scheduled; its runs stay.</summary>
    /// <exception cref="OperationException">No such DAG (not found); a file defines it (conflict).</exception>
    public async Task DeleteDagAsync(string dagId, string? actor, CancellationToken cancellationToken)
    {
        var existing = await store.GetDagAsync(dagId, cancellationToken).ConfigureAwait(false)
            ?? throw OperationException.NotFound($"no DAG '{dagId}'");
        if (existing.FilePath is { } file && File.Exists(file))
        {
            throw OperationException.Conflict($"DAG '{dagId}' is defined by the file {file}", "remove the file to remove the DAG");
        }

        await store.DeleteDagAsync(dagId, cancellationToken).ConfigureAwait(false);
        await AuditAsync(OperatorEvents.DagDeleted, dagId, null, null, "DAG deleted", actor, cancellationToken).ConfigureAwait(false);
    }
}
