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

        return OnceAsync(async connection =>
        {
            await using var upsert = Command(connection, null, $"""
                INSERT INTO secrets ({SecretColumns}) VALUES ($1, $2, $3, $4)
                ON CONFLICT (name) DO UPDATE SET
                    nonce = excluded.nonce, ciphertext = excluded.ciphertext, updated_at = excluded.updated_at
                """, secret.Name, secret.Nonce, secret.Ciphertext, ToDb(secret.UpdatedAt));
            return await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<SecretRecord?> GetSecretAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        return OnceAsync(async connection =>
        {
            await using var select = Command(connection, null, $"SELECT {SecretColumns} FROM secrets WHERE name = $1", name);
            return (await ReadAllAsync(select, ReadSecret, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SecretRecord>> ListSecretsAsync(CancellationToken cancellationToken) =>
        OnceAsync<IReadOnlyList<SecretRecord>>(async connection =>
        {
            await using var select = Command(connection, null, $"SELECT {SecretColumns} FROM secrets ORDER BY name COLLATE \"C\"");
            return await ReadAllAsync(select, ReadSecret, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteSecretAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        return OnceAsync(async connection =>
        {
            await using var delete = Command(connection, null, "DELETE FROM secrets WHERE name = $1", name);
            return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken);
    }

    private static SecretRecord ReadSecret(NpgsqlDataReader reader) => new(
        Name: reader.GetString(0),
        Nonce: reader.GetFieldValue<byte[]>(1),
        Ciphertext: reader.GetFieldValue<byte[]>(2),
        UpdatedAt: ToTime(reader.GetInt64(3)));
}
