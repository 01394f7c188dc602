using Microsoft.Data.Sqlite;

namespace Weft.Storage.Sqlite.Statements;

/// <summary>
/// Statements prepared once on the writer connection and kept for its lifetime, so the hot path re-binds and
/// steps them rather than preparing each one again in every transaction. Only used under the store's write lock.
/// </summary>
/// <remarks>
/// A statement left reset between uses holds no lock and no open read, so it does not get in the way of
/// transactions; <c>sqlite3_prepare_v2</c> statements re-prepare themselves when the schema changes. The cache
/// must be disposed before the connection is closed.
/// </remarks>
internal sealed class StatementCache : IDisposable
{
    private readonly Dictionary<string, PreparedStatement> _statements = new(StringComparer.Ordinal);

    /// <summary>The statement cached under <paramref name="key"/>, made by <paramref name="create"/> on first use.</summary>
    public PreparedStatement Get(SqliteConnection connection, string key, Func<SqliteConnection, PreparedStatement> create)
    {
        if (!_statements.TryGetValue(key, out var statement))
        {
            statement = create(connection);
            _statements.Add(key, statement);
        }

        return statement;
    }

    public void Dispose()
    {
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        _statements.Clear();
    }
}
