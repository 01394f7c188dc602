using Weft.Engine.Storage;
using Weft.Storage.Sqlite.Statements;

namespace Weft.Storage.Sqlite;

public sealed partial class SqliteStateStore
{
    /// <inheritdoc />
    public Task<PagedResult<EventRecord>> ListEventsAsync(int limit, int offset, CancellationToken cancellationToken) =>
        ReadAsync((connection, transaction) =>
        {
            int total;
            using (var count = Command(connection, transaction, "SELECT COUNT(*) FROM events"))
            {
                total = Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            }

            var events = new List<EventRecord>();
            using (var select = Command(connection, transaction,
                $"SELECT {EventRows.Columns} FROM events ORDER BY id DESC LIMIT $limit OFFSET $offset"))
            {
                select.Parameters.AddWithValue("$limit", Math.Max(0, limit));
                select.Parameters.AddWithValue("$offset", Math.Max(0, offset));
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    events.Add(StoredRows.Event(reader));
                }
            }
            return new PagedResult<EventRecord>(events, total);
        }, cancellationToken);
}
