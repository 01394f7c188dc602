using Microsoft.Data.Sqlite;
using Weft.Engine.Storage;
using static Weft.Engine.Storage.StoredValues;
using static Weft.Storage.Sqlite.SqliteValues;

namespace Weft.Storage.Sqlite;

public sealed partial class SqliteStateStore
{
    private const string DagColumns = "dag_id, file_path, source, hash, is_paused, schedule, tags_json, load_error, updated_at";

    /// <inheritdoc />
    public Task UpsertDagAsync(DagRecord dag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dag);

        return WriteAsync((connection, transaction) =>
        {
            // is_paused is taken from the record only for a new DAG; an operator's pause outlives reloads.
            using var upsert = Command(connection, transaction, $"""
                INSERT INTO dags ({DagColumns})
                VALUES ($dag_id, $file_path, $source, $hash, $is_paused, $schedule, $tags_json, $load_error, $updated_at)
                ON CONFLICT (dag_id) DO UPDATE SET
                    file_path = excluded.file_path, source = excluded.source, hash = excluded.hash,
                    schedule = excluded.schedule, tags_json = excluded.tags_json, load_error = excluded.load_error,
                    updated_at = excluded.updated_at
                """);
            upsert.Parameters.AddWithValue("$dag_id", dag.DagId);
            upsert.Parameters.AddWithValue("$file_path", ToDb(dag.FilePath));
            upsert.Parameters.AddWithValue("$source", dag.Source);
            upsert.Parameters.AddWithValue("$hash", dag.Hash);
            upsert.Parameters.AddWithValue("$is_paused", dag.IsPaused ? 1 : 0);
            upsert.Parameters.AddWithValue("$schedule", ToDb(dag.ScheduleText));
            upsert.Parameters.AddWithValue("$tags_json", dag.TagsJson);
            upsert.Parameters.AddWithValue("$load_error", ToDb(dag.LoadError));
            upsert.Parameters.AddWithValue("$updated_at", ToDb(dag.UpdatedAt));
            return upsert.ExecuteNonQuery();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DagRecord?> GetDagAsync(string dagId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dagId);

        return ReadAsync((connection, transaction) =>
        {
            using var select = Command(connection, transaction, $"SELECT {DagColumns} FROM dags WHERE dag_id = $dag_id");
            select.Parameters.AddWithValue("$dag_id", dagId);
            using var reader = select.ExecuteReader();
            return reader.Read() ? ReadDag(reader) : null;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DagRecord>> ListDagsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<DagRecord>>((connection, transaction) =>
        {
            using var select = Command(connection, transaction, $"SELECT {DagColumns} FROM dags ORDER BY dag_id");
            using var reader = select.ExecuteReader();
            var dags = new List<DagRecord>();
            while (reader.Read())
            {
                dags.Add(ReadDag(reader));
            }
            return dags;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListPausedDagsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<string>>((connection, transaction) =>
        {
            using var select = Command(connection, transaction, "SELECT dag_id FROM dags WHERE is_paused <> 0");
            using var reader = select.ExecuteReader();
            var ids = new List<string>();
            while (reader.Read())
            {
                ids.Add(reader.GetString(0));
            }
            return ids;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> SetPausedAsync(string dagId, bool paused, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dagId);

        return WriteAsync((connection, transaction) =>
        {
            using var update = Command(connection, transaction, "UPDATE dags SET is_paused = $paused WHERE dag_id = $dag_id");
            update.Parameters.AddWithValue("$paused", paused ? 1 : 0);
            update.Parameters.AddWithValue("$dag_id", dagId);
            return update.ExecuteNonQuery() > 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteDagAsync(string dagId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dagId);

        return WriteAsync((connection, transaction) =>
        {
            using var delete = Command(connection, transaction, "DELETE FROM dags WHERE dag_id = $dag_id");
            delete.Parameters.AddWithValue("$dag_id", dagId);
            return delete.ExecuteNonQuery() > 0;
        }, cancellationToken);
    }

    private static DagRecord ReadDag(SqliteDataReader reader) => new(
        DagId: reader.GetString(0),
        FilePath: reader.IsDBNull(1) ? null : reader.GetString(1),
        Source: reader.GetString(2),
        Hash: reader.GetString(3),
        IsPaused: reader.GetInt64(4) != 0,
        ScheduleText: reader.IsDBNull(5) ? null : reader.GetString(5),
        TagsJson: reader.GetString(6),
        LoadError: reader.IsDBNull(7) ? null : reader.GetString(7),
        UpdatedAt: ToTime(reader.GetInt64(8)));
}
