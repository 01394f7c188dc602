using System.Security.Cryptography;
using System.Text;
using Weft.Engine.Storage;

namespace Weft.Engine.Secrets;

/// <summary>
/// Secrets encrypted with AES-256-GCM: a fresh 96-bit nonce per write, the secret's name as associated data
/// (so a ciphertext copied onto another name does not decrypt), the 128-bit tag appended to the ciphertext.
/// </summary>
internal sealed class SecretVault
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly IAccessStore _store;
    private readonly byte[] _key;
    private readonly TimeProvider _time;

    public SecretVault(IAccessStore store, byte[] key, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != SecretKeyFile.KeyBytes)
        {
            throw new ArgumentException("the key must be 256 bits", nameof(key));
        }

        _store = store;
        _key = key;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>A vault over the store with the key file under <paramref name="home"/> (created when missing).</summary>
    public static async Task<SecretVault> OpenAsync(IAccessStore store, string home, CancellationToken cancellationToken) =>
        new(store, await SecretKeyFile.LoadOrCreateAsync(home, cancellationToken).ConfigureAwait(false));

    /// <summary>Encrypts and stores a value under a name.</summary>
    public Task SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        var plain = Encoding.UTF8.GetBytes(value);
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var sealedBytes = new byte[plain.Length + TagBytes];
        using (var aes = new AesGcm(_key, TagBytes))
        {
            aes.Encrypt(nonce, plain, sealedBytes.AsSpan(0, plain.Length), sealedBytes.AsSpan(plain.Length), Encoding.UTF8.GetBytes(name));
        }

        CryptographicOperations.ZeroMemory(plain);
        return _store.SetSecretAsync(new SecretRecord(name, nonce, sealedBytes, _time.GetUtcNow()), cancellationToken);
    }

    /// <summary>A secret's value, or null when there is none.</summary>
    /// <exception cref="CryptographicException">The stored value does not decrypt with this key.</exception>
    public async Task<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var record = await _store.GetSecretAsync(name, cancellationToken).ConfigureAwait(false);
        return record is null ? null : Decrypt(record);
    }

    /// <summary>Every secret's value, by name: what a run resolves <c>${{ secrets.NAME }}</c> against.</summary>
    public async Task<IReadOnlyDictionary<string, string>> LoadAllAsync(CancellationToken cancellationToken)
    {
        var records = await _store.ListSecretsAsync(cancellationToken).ConfigureAwait(false);
        var values = new Dictionary<string, string>(records.Count, StringComparer.Ordinal);
        foreach (var record in records)
        {
            values[record.Name] = Decrypt(record);
        }

        return values;
    }

    private string Decrypt(SecretRecord record)
    {
        if (record.Nonce.Length != NonceBytes || record.Ciphertext.Length < TagBytes)
        {
            throw new CryptographicException($"secret '{record.Name}' is damaged");
        }

        var length = record.Ciphertext.Length - TagBytes;
        var plain = new byte[length];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Decrypt(record.Nonce, record.Ciphertext.AsSpan(0, length), record.Ciphertext.AsSpan(length), plain, Encoding.UTF8.GetBytes(record.Name));
        return Encoding.UTF8.GetString(plain);
    }
}
