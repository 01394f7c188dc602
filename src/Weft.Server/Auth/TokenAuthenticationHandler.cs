using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Weft.Server.Api;

namespace Weft.Server.Auth;

/// <summary>
/// <c>Authorization: Bearer TOKEN</c>: the token's hash is matched against the active tokens (kept in memory by
/// <see cref="ActiveTokens"/>: a revocation through this server takes effect at once, one from another process within
/// a second). Failures feed the <see cref="AuthFailureLimiter"/>: an address past its limit gets 429 for an invalid
/// token, never for a valid one. 401, 403 and 429 answers are problem details.
/// </summary>
internal sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ActiveTokens tokens,
    AuthFailureLimiter limiter,
    TokenUsage usage)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "Bearer";

    private const string FailureKey = "weft.auth.failure";
    private const string RetryAfterKey = "weft.auth.retry_after";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        // A valid token is honoured from any address; only failures are held back, and a held-back address's
        // failures are neither counted again nor allowed to make the token cache read the database.
        var blocked = limiter.IsBlocked(Context.Connection.RemoteIpAddress, out var retryAfter);
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 512)
        {
            return Fail("the Authorization header must be 'Bearer TOKEN'", blocked, retryAfter);
        }

        var presented = header["Bearer ".Length..].Trim();
        var token = await tokens.FindAsync(presented, readOnMiss: !blocked, Context.RequestAborted);
        if (token is null)
        {
            return Fail("the token is not valid (unknown or revoked)", blocked, retryAfter);
        }

        usage.Touch(token.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(token.Principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items.TryGetValue(RetryAfterKey, out var wait))
        {
            Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(((TimeSpan)wait!).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await Problems.WriteAsync(Context, StatusCodes.Status429TooManyRequests, "Too many failed authentications",
                "this address sent too many invalid tokens in the last minute; wait and try again (a valid token is still accepted)");
            return;
        }

        var detail = Context.Items.TryGetValue(FailureKey, out var why) ? (string)why! : "send 'Authorization: Bearer TOKEN'; create a token with 'weft tokens create'";
        Response.Headers.WWWAuthenticate = "Bearer";
        await Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var role = Context.User.FindAll(ClaimTypes.Role).Select(c => c.Value).LastOrDefault() ?? "none";
        return Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", $"the token's role ({role}) may not do this");
    }

    private AuthenticateResult Fail(string why, bool blocked, TimeSpan retryAfter)
    {
        if (blocked)
        {
            Context.Items[RetryAfterKey] = retryAfter;
        }
        else
        {
            limiter.RecordFailure(Context.Connection.RemoteIpAddress);
        }

        Context.Items[FailureKey] = why;
        return AuthenticateResult.Fail(why);
    }
}
