using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Weft.Engine.Storage;
using Weft.Server.Api.Models;
using Weft.Server.Auth;
using Weft.Server.Hosting;

namespace Weft.Server.Api;

/// <summary><c>/api/v1/secrets</c> (admin): names and dates, set, delete. Values go in and never come out.</summary>
internal static class SecretEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var secrets = api.MapGroup("/secrets").WithTags("Access").RequireAuthorization(Roles.Admin);
        secrets.MapGet("/", ListAsync).WithName("list_secrets").WithSummary("List secrets (names only)");
        secrets.MapPut("/{name}", SetAsync).WithName("set_secret").WithSummary("Create or replace a secret")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        secrets.MapDelete("/{name}", DeleteAsync).WithName("delete_secret").WithSummary("Delete a secret")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Ok<SecretCollection>> ListAsync(IAccessStore access, CancellationToken cancellationToken)
    {
        var all = await access.ListSecretsAsync(cancellationToken);
        return TypedResults.Ok(new SecretCollection([.. all.Select(s => new SecretResponse(s.Name, s.UpdatedAt))], all.Count));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetAsync(
        [FromRoute(Name = "name")] string name, SecretRequest request, ServerSecrets secrets, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Value))
        {
            return Problems.BadRequest("value must be a non-empty string");
        }

        await secrets.Vault.SetAsync(name, request.Value, cancellationToken);
        secrets.Invalidate();
        await audit.WriteAsync(http, "secret_set", null, null, null, $"secret '{name}' set", cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        [FromRoute(Name = "name")] string name, IAccessStore access, ServerSecrets secrets, AuditLog audit, HttpContext http, CancellationToken cancellationToken)
    {
        if (!await access.DeleteSecretAsync(name, cancellationToken))
        {
            return Problems.NotFound($"no secret '{name}'");
        }

        secrets.Invalidate();
        await audit.WriteAsync(http, "secret_deleted", null, null, null, $"secret '{name}' deleted", cancellationToken);
        return TypedResults.NoContent();
    }
}
