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
            ReadPage(connection, transaction, TaskInstanceRows.Columns, $"task_instances {where}", "end_date DESC, seq DESC", query.Limit, query.Offset,
                command => Bind(command, query), StoredRows.TaskInstance), cancellationToken);

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
