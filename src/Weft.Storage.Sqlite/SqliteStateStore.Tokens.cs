using Microsoft.Data.Sqlite;
using Weft.Engine.Storage;
using static Weft.Engine.Storage.StoredValues;
using static Weft.Storage.Sqlite.SqliteValues;

namespace Weft.Storage.Sqlite;

public sealed partial class SqliteStateStore : IAccessStore
{
    private const string TokenColumns = "name, role, hash, created_at, last_used_at, revoked_at";

    /// <inheritdoc />
    public Task<bool> CreateTokenAsync(TokenRecord token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);

        return WriteAsync((connection, transaction) =>
        {
            using var insert = Command(connection, transaction, $"""
                INSERT INTO tokens ({TokenColumns}) VALUES ($name, $role, $hash, $created_at, $last_used_at, $revoked_at)
                ON CONFLICT DO NOTHING
                """);
            insert.Parameters.AddWithValue("$name", token.Name);
            insert.Parameters.AddWithValue("$role", token.Role);
            insert.Parameters.AddWithValue("$hash", token.Hash);
            insert.Parameters.AddWithValue("$created_at", ToDb(token.CreatedAt));
            insert.Parameters.AddWithValue("$last_used_at", ToDb(token.LastUsedAt));
            insert.Parameters.AddWithValue("$revoked_at", ToDb(token.RevokedAt));
            return insert.ExecuteNonQuery() > 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TokenRecord>> ListTokensAsync(CancellationToken cancellationToken) =>
        ReadTokensAsync($"SELECT {TokenColumns} FROM tokens ORDER BY name", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TokenRecord>> ListActiveTokensAsync(CancellationToken cancellationToken) =>
        ReadTokensAsync($"SELECT {TokenColumns} FROM tokens WHERE revoked_at IS NULL ORDER BY name", cancellationToken);

    /// <inheritdoc />
    public Task<bool> RevokeTokenAsync(string name, DateTimeOffset when, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        return WriteAsync((connection, transaction) =>
        {
            using var update = Command(connection, transaction, "UPDATE tokens SET revoked_at = $when WHERE name = $name AND revoked_at IS NULL");
            update.Parameters.AddWithValue("$name", name);
            update.Parameters.AddWithValue("$when", ToDb(when));
            return update.ExecuteNonQuery() > 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task TouchTokenAsync(string name, DateTimeOffset when, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        return WriteAsync((connection, transaction) =>
        {
            using var update = Command(connection, transaction, "UPDATE tokens SET last_used_at = $when WHERE name = $name");
            update.Parameters.AddWithValue("$name", name);
            update.Parameters.AddWithValue("$when", ToDb(when));
            return update.ExecuteNonQuery();
        }, cancellationToken);
    }

    private Task<IReadOnlyList<TokenRecord>> ReadTokensAsync(string sql, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<TokenRecord>>((connection, transaction) =>
        {
            using var select = Command(connection, transaction, sql);
            using var reader = select.ExecuteReader();
            var tokens = new List<TokenRecord>();
            while (reader.Read())
            {
                tokens.Add(ReadToken(reader));
            }
            return tokens;
        }, cancellationToken);

    private static TokenRecord ReadToken(SqliteDataReader reader) => new(
        Name: reader.GetString(0),
        Role: reader.GetString(1),
        Hash: reader.GetString(2),
        CreatedAt: ToTime(reader.GetInt64(3)),
        LastUsedAt: reader.IsDBNull(4) ? null : ToTime(reader.GetInt64(4)),
        RevokedAt: reader.IsDBNull(5) ? null : ToTime(reader.GetInt64(5)));
}
