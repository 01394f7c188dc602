using Npgsql;
using Weft.Engine.Storage;
using static Weft.Engine.Storage.StoredValues;
using static Weft.Storage.Postgres.PostgresValues;

namespace Weft.Storage.Postgres;

public sealed partial class PostgresStateStore
{
    private const string SecretColumns = "name, nonce, ciphertext, updated_at";

    /// <inheritdoc />
    public Task SetSecretAsync(SecretRecord secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secret);

        return ExecuteAsync(cancellationToken, $"""
                INSERT INTO secrets ({SecretColumns}) VALUES ($1, $2, $3, $4)
                ON CONFLICT (name) DO UPDATE SET
                    nonce = excluded.nonce, ciphertext = excluded.ciphertext, updated_at = excluded.updated_at
                """, secret.Name, secret.Nonce, secret.Ciphertext, ToDb(secret.UpdatedAt));
    }

    /// <inheritdoc />
    public Task<SecretRecord?> GetSecretAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        return QueryFirstAsync(ReadSecret, cancellationToken, $"SELECT {SecretColumns} FROM secrets WHERE name = $1", name);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SecretRecord>> ListSecretsAsync(CancellationToken cancellationToken) =>
        QueryAsync(ReadSecret, cancellationToken, $"SELECT {SecretColumns} FROM secrets ORDER BY name COLLATE \"C\"");

    /// <inheritdoc />
    public Task<bool> DeleteSecretAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        return ChangesAnyAsync(cancellationToken, "DELETE FROM secrets WHERE name = $1", name);
    }

    private static SecretRecord ReadSecret(NpgsqlDataReader reader) => new(
        Name: reader.GetString(0),
        Nonce: reader.GetFieldValue<byte[]>(1),
        Ciphertext: reader.GetFieldValue<byte[]>(2),
        UpdatedAt: ToTime(reader.GetInt64(3)));
}
