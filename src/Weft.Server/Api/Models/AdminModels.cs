namespace Weft.Server.Api.Models;

/// <summary>An API token, without its text.</summary>
internal sealed record TokenResponse(string Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>A page of tokens.</summary>
internal sealed record TokenCollection(IReadOnlyList<TokenResponse> Tokens, int TotalEntries);

/// <summary>POST tokens.</summary>
internal sealed record TokenRequest(string? Name, string? Role);

/// <summary>A new token: the only time its text is shown.</summary>
internal sealed record CreatedTokenResponse(string Name, string Role, string Token);

/// <summary>A secret's name and age; values are never returned.</summary>
internal sealed record SecretResponse(string Name, DateTimeOffset UpdatedAt);

/// <summary>A page of secrets.</summary>
internal sealed record SecretCollection(IReadOnlyList<SecretResponse> Secrets, int TotalEntries);

/// <summary>PUT of a secret.</summary>
internal sealed record SecretRequest(string? Value);
