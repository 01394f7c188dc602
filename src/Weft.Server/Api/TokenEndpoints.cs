using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Weft.Engine.Storage;
using Weft.Server.Api.Models;
using Weft.Server.Auth;

namespace Weft.Server.Api;

/// <summary><c>/api/v1/tokens</c> (admin): list, create (the text is shown once), revoke.</summary>
internal static class TokenEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/tokens").WithTags("Access").RequireAuthorization(Roles.Admin);
        tokens.MapGet("/", ListAsync).WithName("list_tokens").WithSummary("List API tokens (never their text)");
        tokens.MapPost("/", CreateAsync).WithName("create_token").WithSummary("Create an API token; its text is returned once")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        tokens.MapDelete("/{name}", RevokeAsync).WithName("revoke_token").WithSummary("Revoke an API token")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Ok<TokenCollection>> ListAsync(IAccessStore access, CancellationToken cancellationToken)
    {
        var all = await access.ListTokensAsync(cancellationToken);
        return TypedResults.Ok(new TokenCollection([.. all.Select(t => new TokenResponse(t.Name, t.Role, t.CreatedAt, t.LastUsedAt, t.RevokedAt))], all.Count));
    }

    private static async Task<Results<Created<CreatedTokenResponse>, ProblemHttpResult>> CreateAsync(
        TokenRequest request, IAccessStore access, ActiveTokens active, AuditLog audit, TimeProvider time, HttpContext http, CancellationToken cancellationToken)
    {
        if (request.Name is not { } name || !RouteIds.Id().IsMatch(name))
        {
            return Problems.BadRequest("name must be an identifier");
        }

        if (request.Role is not { } role || !Roles.IsRole(role))
        {
            return Problems.BadRequest("role must be viewer, operator or admin");
        }

        var token = await ApiTokens.CreateAsync(access, name, role, time.GetUtcNow(), cancellationToken);
        active.Invalidate();
        if (token is null)
        {
            return Problems.Conflict($"a token named '{name}' exists; pick another name (a name stays taken after its token is revoked)");
        }

        await audit.WriteAsync(http, "token_created", null, null, null, $"token '{name}' created with role {role}", cancellationToken);
        return TypedResults.Created($"/api/v1/tokens/{name}", new CreatedTokenResponse(name, role, token));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        [FromRoute(Name = "name")] string name, IAccessStore access, ActiveTokens active, AuditLog audit, TimeProvider time, HttpContext http, CancellationToken cancellationToken)
    {
        var revoked = await access.RevokeTokenAsync(name, time.GetUtcNow(), cancellationToken);
        active.Invalidate();
        if (!revoked)
        {
            return Problems.NotFound($"no active token '{name}'");
        }

        await audit.WriteAsync(http, "token_revoked", null, null, null, $"token '{name}' revoked", cancellationToken);
        return TypedResults.NoContent();
    }
}
