using Weft.Engine.Storage;
using Weft.Storage.Postgres.Statements;

namespace Weft.Storage.Postgres;

public sealed partial class PostgresStateStore
{
    /// <inheritdoc />
    public Task<PagedResult<EventRecord>> ListEventsAsync(int limit, int offset, CancellationToken cancellationToken) =>
        SnapshotAsync(async (connection, transaction) =>
        {
            int total;
            await using (var count = Command(connection, transaction, "SELECT COUNT(*) FROM events"))
            {
                total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            }

            await using var select = Command(connection, transaction, $"SELECT {EventRows.Select} FROM events ORDER BY id DESC LIMIT $1 OFFSET $2",
                (long)Math.Max(0, limit), (long)Math.Max(0, offset));
            return new PagedResult<EventRecord>(await ReadAllAsync(select, StoredRows.Event, cancellationToken).ConfigureAwait(false), total);
        }, cancellationToken);
}
