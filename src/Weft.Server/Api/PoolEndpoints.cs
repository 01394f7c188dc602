using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Weft.Engine.Operations;
using Weft.Engine.Storage;
using Weft.Server.Api.Models;
using Weft.Server.Auth;

namespace Weft.Server.Api;

/// <summary><c>/api/v1/pools</c>: viewers read; admins create and resize.</summary>
internal static class PoolEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var pools = api.MapGroup("/pools").WithTags("Pools");
        pools.MapGet("/", ListAsync).RequireAuthorization(Roles.Viewer).WithName("list_pools").WithSummary("List pools")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        pools.MapGet("/{pool_name}", GetAsync).RequireAuthorization(Roles.Viewer).WithName("get_pool").WithSummary("Get a pool")
            .ProducesProblem(StatusCodes.Status404NotFound);
        pools.MapPost("/", CreateAsync).RequireAuthorization(Roles.Admin).WithName("create_pool").WithSummary("Create a pool")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        pools.MapPatch("/{pool_name}", PatchAsync).RequireAuthorization(Roles.Admin).WithName("patch_pool").WithSummary("Resize a pool")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static PoolResponse Map(PoolRecord p) => new(p.Name, p.Slots, p.OccupiedSlots, Math.Max(0, p.Slots - p.OccupiedSlots));

    private static async Task<Results<Ok<PoolCollection>, ProblemHttpResult>> ListAsync(int? limit, int? offset, OperatorActions actions, CancellationToken cancellationToken)
    {
        if (!Paging.TryCreate(limit, offset, out var page, out var problem))
        {
            return problem!;
        }

        var all = await actions.ListPoolsAsync(cancellationToken);
        return TypedResults.Ok(new PoolCollection([.. page.Apply(all).Select(Map)], all.Count));
    }

    private static async Task<Results<Ok<PoolResponse>, ProblemHttpResult>> GetAsync(
        [FromRoute(Name = "pool_name")] string name, OperatorActions actions, CancellationToken cancellationToken)
    {
        var pool = (await actions.ListPoolsAsync(cancellationToken)).FirstOrDefault(p => p.Name == name);
        return pool is null ? Problems.NotFound($"no pool '{name}'") : TypedResults.Ok(Map(pool));
    }

    private static async Task<Results<Created<PoolResponse>, ProblemHttpResult>> CreateAsync(
        PoolRequest request, OperatorActions actions, HttpContext http, CancellationToken cancellationToken)
    {
        if (request.Name is not { } name)
        {
            return Problems.BadRequest("name must be an identifier");
        }

        if (request.Slots is not { } slots)
        {
            return Problems.BadRequest("slots must be a number of 0 or more");
        }

        try
        {
            var pool = await actions.SetPoolAsync(name, slots, PoolWrite.Create, AuditLog.Actor(http), cancellationToken);
            return TypedResults.Created($"/api/v1/pools/{name}", Map(pool));
        }
        catch (OperationException refused)
        {
            return Problems.From(refused);
        }
    }

    private static async Task<Results<Ok<PoolResponse>, ProblemHttpResult>> PatchAsync(
        [FromRoute(Name = "pool_name")] string name, PoolPatch patch, OperatorActions actions, HttpContext http, CancellationToken cancellationToken)
    {
        if (patch.Slots is not { } slots)
        {
            return Problems.BadRequest("slots must be a number of 0 or more");
        }

        try
        {
            return TypedResults.Ok(Map(await actions.SetPoolAsync(name, slots, PoolWrite.Resize, AuditLog.Actor(http), cancellationToken)));
        }
        catch (OperationException refused)
        {
            return Problems.From(refused);
        }
    }
}
