using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Weft.Engine.Storage;
using Weft.Server.Api;

namespace Weft.Server.Auth;

/// <summary>
/// <c>Authorization: Bearer TOKEN</c>: the token's hash is matched against the active tokens in the database on
/// every request, so a revocation (even from another process) takes effect at once. Failures feed the
/// <see cref="AuthFailureLimiter"/>; 401 and 403 answers are problem details.
/// </summary>
internal sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IAccessStore access,
    AuthFailureLimiter limiter,
    TokenUsage usage)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "Bearer";

    private const string FailureKey = "weft.auth.failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 512)
        {
            return Fail("the Authorization header must be 'Bearer TOKEN'");
        }

        var presented = header["Bearer ".Length..].Trim();
        var active = await access.ListActiveTokensAsync(Context.RequestAborted);
        var token = ApiTokens.Match(presented, active);
        if (token is null)
        {
            return Fail("the token is not valid (unknown or revoked)");
        }

        await usage.TouchAsync(token.Name, Context.RequestAborted);
        var claims = new List<Claim> { new(ClaimTypes.Name, token.Name) };
        claims.AddRange(Roles.Granted(token.Role).Select(r => new Claim(ClaimTypes.Role, r)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var detail = Context.Items.TryGetValue(FailureKey, out var why) ? (string)why! : "send 'Authorization: Bearer TOKEN'; create a token with 'weft tokens create'";
        Response.Headers.WWWAuthenticate = "Bearer";
        await Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var role = Context.User.FindAll(ClaimTypes.Role).Select(c => c.Value).LastOrDefault() ?? "none";
        return Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", $"the token's role ({role}) may not do this");
    }

    private AuthenticateResult Fail(string why)
    {
        limiter.RecordFailure(Context.Connection.RemoteIpAddress);
        Context.Items[FailureKey] = why;
        return AuthenticateResult.Fail(why);
    }
}

/// <summary>Writes a token's last use at most once a minute, so reads do not each cost a database write.</summary>
internal sealed class TokenUsage(IAccessStore access, TimeProvider time)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _written = new(StringComparer.Ordinal);

    public async Task TouchAsync(string name, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_written.TryGetValue(name, out var last) && now - last < Interval)
        {
            return;
        }

        _written[name] = now;
        await access.TouchTokenAsync(name, now, cancellationToken);
    }
}
