using Npgsql;
using Weft.Engine.Storage;
using static Weft.Engine.Storage.StoredValues;
using static Weft.Storage.Postgres.PostgresValues;

namespace Weft.Storage.Postgres;

public sealed partial class PostgresStateStore
{
    private const string TokenColumns = "name, role, hash, created_at, last_used_at, revoked_at";

    /// <inheritdoc />
    public Task<bool> CreateTokenAsync(TokenRecord token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);

        return ChangesAnyAsync(cancellationToken, $"""
                INSERT INTO tokens ({TokenColumns}) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT DO NOTHING
                """, token.Name, token.Role, token.Hash, ToDb(token.CreatedAt), ToDb(token.LastUsedAt), ToDb(token.RevokedAt));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TokenRecord>> ListTokensAsync(CancellationToken cancellationToken) =>
        ReadTokensAsync($"SELECT {TokenColumns} FROM tokens ORDER BY name COLLATE \"C\"", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TokenRecord>> ListActiveTokensAsync(CancellationToken cancellationToken) =>
        ReadTokensAsync($"SELECT {TokenColumns} FROM tokens WHERE revoked_at IS NULL ORDER BY name COLLATE \"C\"", cancellationToken);

    /// <inheritdoc />
    public Task<bool> RevokeTokenAsync(string name, DateTimeOffset when, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        return ChangesAnyAsync(cancellationToken, "UPDATE tokens SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL", ToDb(when), name);
    }

    /// <inheritdoc />
    public Task TouchTokenAsync(string name, DateTimeOffset when, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        return ExecuteAsync(cancellationToken, "UPDATE tokens SET last_used_at = $1 WHERE name = $2", ToDb(when), name);
    }

    private Task<IReadOnlyList<TokenRecord>> ReadTokensAsync(string sql, CancellationToken cancellationToken) =>
        QueryAsync(ReadToken, cancellationToken, sql);

    private static TokenRecord ReadToken(NpgsqlDataReader reader) => new(
        Name: reader.GetString(0),
        Role: reader.GetString(1),
        Hash: reader.GetString(2),
        CreatedAt: ToTime(reader.GetInt64(3)),
        LastUsedAt: reader.IsDBNull(4) ? null : ToTime(reader.GetInt64(4)),
        RevokedAt: reader.IsDBNull(5) ? null : ToTime(reader.GetInt64(5)));
}
