using Weft.Engine.Storage;
using Weft.Storage.Sqlite.Statements;

namespace Weft.Storage.Sqlite;

public sealed partial class SqliteStateStore
{
    /// <inheritdoc />
    public Task<PagedResult<EventRecord>> ListEventsAsync(int limit, int offset, CancellationToken cancellationToken) =>
        ReadAsync((connection, transaction) =>
            ReadPage(connection, transaction, EventRows.Columns, "events", "id DESC", limit, offset, _ => { }, StoredRows.Event), cancellationToken);
}
