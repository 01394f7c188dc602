using System.Buffers.Binary;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Weft.Engine.Storage;
using Weft.Server.Caching;
using Weft.Server.Hosting;

namespace Weft.Server.Auth;

/// <summary>
/// The active tokens, kept in memory so a request costs a hash and a lookup instead of a database read. The set is
/// read again when it is older than <see cref="ServerOptions.CacheRefreshInterval"/> (so a token revoked by another
/// process is refused within that time), at once after a token is created or revoked through this server, and on
/// a miss (so a token just created by <c>weft tokens create</c> works at once; a miss costs the database read every
/// request used to cost; an address that <see cref="AuthFailureLimiter"/> holds back gets no such read).
/// </summary>
internal sealed class ActiveTokens
{
    private readonly RefreshingValue<TokenSet> _set;
    private readonly TimeSpan _maxAge;

    public ActiveTokens(IAccessStore access, IOptions<ServerOptions> options, TimeProvider time)
    {
        _maxAge = options.Value.CacheRefreshInterval;
        _set = new RefreshingValue<TokenSet>(async ct => new TokenSet(await access.ListActiveTokensAsync(ct).ConfigureAwait(false)), time);
    }

    /// <summary>
    /// The active token with this text, or null. A miss reads the tokens again unless <paramref name="readOnMiss"/> is
    /// false (an address that failed too often), so guessing never costs more than one read per refresh interval.
    /// </summary>
    public async ValueTask<ActiveToken?> FindAsync(string presented, bool readOnMiss, CancellationToken cancellationToken)
    {
        var hash = ApiTokens.HashBytes(presented);
        var found = (await _set.GetAsync(_maxAge, cancellationToken)).Find(hash);
        return found ?? (readOnMiss ? (await _set.GetAsync(TimeSpan.Zero, cancellationToken)).Find(hash) : null);
    }

    /// <summary>Reads the tokens again on the next request: call after creating or revoking one.</summary>
    public void Invalidate() => _set.Invalidate();

    /// <summary>
    /// Tokens by the first 8 bytes of their hash. The lookup's timing depends only on the hash of what was presented,
    /// which tells a guesser nothing about any stored token; the full hash is then compared in constant time.
    /// </summary>
    private sealed class TokenSet
    {
        private readonly Dictionary<ulong, ActiveToken[]> _byPrefix = [];

        public TokenSet(IReadOnlyList<TokenRecord> tokens)
        {
            foreach (var token in tokens)
            {
                var hash = new byte[32];
                if (token.Hash.Length != 64 || Convert.FromHexString(token.Hash, hash, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
                {
                    continue;
                }

                var key = BinaryPrimitives.ReadUInt64LittleEndian(hash);
                var entry = new ActiveToken(token.Name, token.Role, hash, Principal(token));
                _byPrefix[key] = _byPrefix.TryGetValue(key, out var same) ? [.. same, entry] : [entry];
            }
        }

        public ActiveToken? Find(ReadOnlySpan<byte> hash)
        {
            if (!_byPrefix.TryGetValue(BinaryPrimitives.ReadUInt64LittleEndian(hash), out var candidates))
            {
                return null;
            }

            ActiveToken? found = null;
            foreach (var candidate in candidates)
            {
                if (CryptographicOperations.FixedTimeEquals(hash, candidate.Hash))
                {
                    found = candidate;
                }
            }

            return found;
        }

        private static ClaimsPrincipal Principal(TokenRecord token)
        {
            var claims = new List<Claim> { new(ClaimTypes.Name, token.Name) };
            claims.AddRange(Roles.Granted(token.Role).Select(r => new Claim(ClaimTypes.Role, r)));
            return new ClaimsPrincipal(new ClaimsIdentity(claims, TokenAuthenticationHandler.SchemeName));
        }
    }
}

/// <summary>An active token: its name, role, SHA-256 hash and the principal its requests act as (shared, never changed).</summary>
internal sealed record ActiveToken(string Name, string Role, byte[] Hash, ClaimsPrincipal Principal);
