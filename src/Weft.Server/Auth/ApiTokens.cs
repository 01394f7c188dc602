using System.Security.Cryptography;
using System.Text;
using Weft.Engine.Storage;

namespace Weft.Server.Auth;

/// <summary>Makes API tokens and their stored form: only the SHA-256 hash of a token is ever written.</summary>
internal static class ApiTokens
{
    /// <summary>Every token starts with this, so a leaked one is easy to recognize (and to scan for).</summary>
    public const string Prefix = "weft_";

    /// <summary>A fresh token: the prefix and 256 random bits, base64url.</summary>
    public static string Generate() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The token's SHA-256 hash, lowercase hex: what the database keeps.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(HashBytes(token));

    /// <summary>The token's SHA-256 hash.</summary>
    public static byte[] HashBytes(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Creates and stores a token; returns its text (shown once) or null when the name is taken.</summary>
    public static async Task<string?> CreateAsync(IAccessStore store, string name, string role, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!Roles.IsRole(role))
        {
            throw new ArgumentException($"unknown role '{role}'", nameof(role));
        }

        var token = Generate();
        var created = await store.CreateTokenAsync(new TokenRecord(name, role, Hash(token), now, null, null), cancellationToken).ConfigureAwait(false);
        return created ? token : null;
    }
}
