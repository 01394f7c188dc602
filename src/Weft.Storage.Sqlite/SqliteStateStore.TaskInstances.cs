using Microsoft.Data.Sqlite;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using Weft.Storage.Sqlite.Statements;

namespace Weft.Storage.Sqlite;

public sealed partial class SqliteStateStore
{
    /// <inheritdoc />
    /// <remarks>Reads through <c>ix_task_instances_state_end</c> (migration 6): one state, in end order.</remarks>
    public Task<PagedResult<TaskInstanceRecord>> ListTaskInstancesAsync(TaskInstanceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = query.DagId is null ? "WHERE state = $state" : "WHERE state = $state AND dag_id = $dag_id";
        return ReadAsync((connection, transaction) =>
        {
            int total;
            using (var count = Command(connection, transaction, $"SELECT COUNT(*) FROM task_instances {where}"))
            {
                Bind(count, query);
                total = Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            }

            var items = new List<TaskInstanceRecord>();
            using (var select = Command(connection, transaction,
                $"SELECT {TaskInstanceRows.Columns} FROM task_instances {where} ORDER BY end_date DESC, seq DESC LIMIT $limit OFFSET $offset"))
            {
                Bind(select, query);
                select.Parameters.AddWithValue("$limit", Math.Max(0, query.Limit));
                select.Parameters.AddWithValue("$offset", Math.Max(0, query.Offset));
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    items.Add(StoredRows.TaskInstance(reader));
                }
            }

            return new PagedResult<TaskInstanceRecord>(items, total);
        }, cancellationToken);

        static void Bind(SqliteCommand command, TaskInstanceQuery query)
        {
            command.Parameters.AddWithValue("$state", query.State.ToName());
            if (query.DagId is not null)
            {
                command.Parameters.AddWithValue("$dag_id", query.DagId);
            }
        }
    }
}
