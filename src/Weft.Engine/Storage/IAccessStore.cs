namespace Weft.Engine.Storage;

/// <summary>
/// The storage port for access control: API tokens (stored as hashes) and secrets (stored encrypted).
/// Kept apart from <see cref="IStateStore"/> because only the server and the admin commands need it.
/// </summary>
public interface IAccessStore
{
    /// <summary>Inserts a token; false when a token with that name already exists (revoked ones included).</summary>
    Task<bool> CreateTokenAsync(TokenRecord token, CancellationToken cancellationToken);

    /// <summary>Every token, revoked ones included, by name.</summary>
    Task<IReadOnlyList<TokenRecord>> ListTokensAsync(CancellationToken cancellationToken);

    /// <summary>Tokens that are not revoked.</summary>
    Task<IReadOnlyList<TokenRecord>> ListActiveTokensAsync(CancellationToken cancellationToken);

    /// <summary>Revokes a token; false when there is no active token with that name.</summary>
    Task<bool> RevokeTokenAsync(string name, DateTimeOffset when, CancellationToken cancellationToken);

    /// <summary>Records that a token was used.</summary>
    Task TouchTokenAsync(string name, DateTimeOffset when, CancellationToken cancellationToken);

    /// <summary>Creates or replaces a secret.</summary>
    Task SetSecretAsync(SecretRecord secret, CancellationToken cancellationToken);

    /// <summary>A secret, or null.</summary>
    Task<SecretRecord?> GetSecretAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every secret, by name.</summary>
    Task<IReadOnlyList<SecretRecord>> ListSecretsAsync(CancellationToken cancellationToken);

    /// <summary>Deletes a secret; false when it did not exist.</summary>
    Task<bool> DeleteSecretAsync(string name, CancellationToken cancellationToken);
}
