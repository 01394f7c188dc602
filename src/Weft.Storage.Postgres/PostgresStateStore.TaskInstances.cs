using Weft.Core.Runs;
using Weft.Engine.Storage;
using Weft.Storage.Postgres.Statements;

namespace Weft.Storage.Postgres;

public sealed partial class PostgresStateStore
{
    /// <inheritdoc />
    /// <remarks>Reads through <c>ix_task_instances_state_end</c>: one state, in end order.</remarks>
    public Task<PagedResult<TaskInstanceRecord>> ListTaskInstancesAsync(TaskInstanceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = query.DagId is null ? "WHERE state = $1" : "WHERE state = $1 AND dag_id = $2";
        object?[] filter = query.DagId is null ? [query.State.ToName()] : [query.State.ToName(), query.DagId];

        return OnceAsync(async connection =>
        {
            int total;
            await using (var count = Command(connection, null, $"SELECT COUNT(*) FROM task_instances {where}", filter))
            {
                total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            }

            var n = filter.Length;
            await using var select = Command(connection, null,
                $"SELECT {TaskInstanceRows.Select} FROM task_instances {where} ORDER BY end_date DESC NULLS LAST, seq DESC LIMIT ${n + 1} OFFSET ${n + 2}",
                [.. filter, Math.Max(0, query.Limit), Math.Max(0, query.Offset)]);
            var items = await ReadAllAsync(select, StoredRows.TaskInstance, cancellationToken).ConfigureAwait(false);
            return new PagedResult<TaskInstanceRecord>(items, total);
        }, cancellationToken);
    }
}
