using Npgsql;
using Weft.Engine.Storage;
using static Weft.Engine.Storage.StoredValues;
using static Weft.Storage.Postgres.PostgresValues;

namespace Weft.Storage.Postgres;

public sealed partial class PostgresStateStore
{
    private const string DagColumns = "dag_id, file_path, source, hash, is_paused, schedule, tags_json, load_error, updated_at";

    /// <inheritdoc />
    public Task UpsertDagAsync(DagRecord dag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dag);

        return OnceAsync(async connection =>
        {
            // is_paused is taken from the record only for a new DAG; an operator's pause outlives reloads.
            await using var upsert = Command(connection, null, $"""
                INSERT INTO dags ({DagColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                ON CONFLICT (dag_id) DO UPDATE SET
                    file_path = excluded.file_path, source = excluded.source, hash = excluded.hash,
                    schedule = excluded.schedule, tags_json = excluded.tags_json, load_error = excluded.load_error,
                    updated_at = excluded.updated_at
                """,
                dag.DagId, dag.FilePath, dag.Source, dag.Hash, dag.IsPaused, dag.ScheduleText, dag.TagsJson, dag.LoadError, ToDb(dag.UpdatedAt));
            return await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DagRecord?> GetDagAsync(string dagId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dagId);

        return QueryFirstAsync(ReadDag, cancellationToken, $"SELECT {DagColumns} FROM dags WHERE dag_id = $1", dagId);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DagRecord>> ListDagsAsync(CancellationToken cancellationToken) =>
        QueryAsync(ReadDag, cancellationToken, $"SELECT {DagColumns} FROM dags ORDER BY dag_id COLLATE \"C\"");

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListPausedDagsAsync(CancellationToken cancellationToken) =>
        QueryAsync(reader => reader.GetString(0), cancellationToken, "SELECT dag_id FROM dags WHERE is_paused");

    /// <inheritdoc />
    public Task<bool> SetPausedAsync(string dagId, bool paused, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dagId);

        return ChangesAnyAsync(cancellationToken, "UPDATE dags SET is_paused = $1 WHERE dag_id = $2", paused, dagId);
    }

    /// <inheritdoc />
    public Task<bool> DeleteDagAsync(string dagId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dagId);

        return ChangesAnyAsync(cancellationToken, "DELETE FROM dags WHERE dag_id = $1", dagId);
    }

    private static DagRecord ReadDag(NpgsqlDataReader reader) => new(
        DagId: reader.GetString(0),
        FilePath: reader.IsDBNull(1) ? null : reader.GetString(1),
        Source: reader.GetString(2),
        Hash: reader.GetString(3),
        IsPaused: reader.GetBoolean(4),
        ScheduleText: reader.IsDBNull(5) ? null : reader.GetString(5),
        TagsJson: reader.GetString(6),
        LoadError: reader.IsDBNull(7) ? null : reader.GetString(7),
        UpdatedAt: ToTime(reader.GetInt64(8)));
}
