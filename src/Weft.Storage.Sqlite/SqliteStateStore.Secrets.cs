using Microsoft.Data.Sqlite;
using Weft.Engine.Storage;
using static Weft.Engine.Storage.StoredValues;
using static Weft.Storage.Sqlite.SqliteValues;

namespace Weft.Storage.Sqlite;

public sealed partial class SqliteStateStore
{
    private const string SecretColumns = "name, nonce, ciphertext, updated_at";

    /// <inheritdoc />
    public Task SetSecretAsync(SecretRecord secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secret);

        return WriteAsync((connection, transaction) =>
        {
            using var upsert = Command(connection, transaction, $"""
                INSERT INTO secrets ({SecretColumns}) VALUES ($name, $nonce, $ciphertext, $updated_at)
                ON CONFLICT (name) DO UPDATE SET
                    nonce = excluded.nonce, ciphertext = excluded.ciphertext, updated_at = excluded.updated_at
                """);
            upsert.Parameters.AddWithValue("$name", secret.Name);
            upsert.Parameters.AddWithValue("$nonce", secret.Nonce);
            upsert.Parameters.AddWithValue("$ciphertext", secret.Ciphertext);
            upsert.Parameters.AddWithValue("$updated_at", ToDb(secret.UpdatedAt));
            return upsert.ExecuteNonQuery();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<SecretRecord?> GetSecretAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        return ReadAsync((connection, transaction) =>
        {
            using var select = Command(connection, transaction, $"SELECT {SecretColumns} FROM secrets WHERE name = $name");
            select.Parameters.AddWithValue("$name", name);
            using var reader = select.ExecuteReader();
            return reader.Read() ? ReadSecret(reader) : null;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SecretRecord>> ListSecretsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<SecretRecord>>((connection, transaction) =>
        {
            using var select = Command(connection, transaction, $"SELECT {SecretColumns} FROM secrets ORDER BY name");
            using var reader = select.ExecuteReader();
            var secrets = new List<SecretRecord>();
            while (reader.Read())
            {
                secrets.Add(ReadSecret(reader));
            }
            return secrets;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteSecretAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);

        return WriteAsync((connection, transaction) =>
        {
            using var delete = Command(connection, transaction, "DELETE FROM secrets WHERE name = $name");
            delete.Parameters.AddWithValue("$name", name);
            return delete.ExecuteNonQuery() > 0;
        }, cancellationToken);
    }

    private static SecretRecord ReadSecret(SqliteDataReader reader) => new(
        Name: reader.GetString(0),
        Nonce: (byte[])reader.GetValue(1),
        Ciphertext: (byte[])reader.GetValue(2),
        UpdatedAt: ToTime(reader.GetInt64(3)));
}
