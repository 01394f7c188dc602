namespace Weft.Engine.Storage;

/// <summary>An API token: the SHA-256 hash (lowercase hex) of its text, never the text itself.</summary>
public sealed record TokenRecord(
    string Name,
    string Role,
    string Hash,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt);

/// <summary>A secret, encrypted: AES-GCM nonce and ciphertext (with its tag appended).</summary>
public sealed record SecretRecord(string Name, byte[] Nonce, byte[] Ciphertext, DateTimeOffset UpdatedAt);
