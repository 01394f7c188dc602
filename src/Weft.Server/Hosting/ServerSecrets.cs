using Weft.Engine.Secrets;

namespace Weft.Server.Hosting;

/// <summary>
/// The secret store as the server uses it: values decrypted for runs, and a masker that hides every value in
/// API answers and served logs. The decrypted set is kept for a second so a busy API does not decrypt per request.
/// </summary>
internal sealed class ServerSecrets(SecretVault vault, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private (DateTimeOffset At, IReadOnlyDictionary<string, string> Values, SecretMasker Masker)? _cache;

    /// <summary>The vault, for writes.</summary>
    public SecretVault Vault => vault;

    /// <summary>Every secret's current value.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ValuesAsync(CancellationToken cancellationToken) =>
        (await LoadAsync(cancellationToken)).Values;

    /// <summary>A masker for every current secret value.</summary>
    public async Task<SecretMasker> MaskerAsync(CancellationToken cancellationToken) =>
        (await LoadAsync(cancellationToken)).Masker;

    /// <summary>Forgets the cached values after a write.</summary>
    public void Invalidate() => _cache = null;

    private async Task<(DateTimeOffset At, IReadOnlyDictionary<string, string> Values, SecretMasker Masker)> LoadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cache is { } cached && now - cached.At < CacheFor)
        {
            return cached;
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_cache is { } again && now - again.At < CacheFor)
            {
                return again;
            }

            var values = await vault.LoadAllAsync(cancellationToken);
            var fresh = (now, values, new SecretMasker(values.Values));
            _cache = fresh;
            return fresh;
        }
        finally
        {
            _lock.Release();
        }
    }
}
