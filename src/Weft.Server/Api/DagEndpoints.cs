using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Weft.Engine.Operations;
using Weft.Engine.Storage;
using Weft.Server.Api.Models;
using Weft.Server.Auth;
using Weft.Server.Dags;

namespace Weft.Server.Api;

/// <summary><c>/api/v1/dags</c>: list, show, pause, source.</summary>
internal static class DagEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var dags = api.MapGroup("/dags").WithTags("DAGs");
        dags.MapGet("/", ListAsync).RequireAuthorization(Roles.Viewer).WithName("list_dags")
            .WithSummary("List DAGs").ProducesProblem(StatusCodes.Status400BadRequest);
        dags.MapGet("/{dag_id}", GetAsync).RequireAuthorization(Roles.Viewer).WithName("get_dag")
            .WithSummary("Get a DAG").ProducesProblem(StatusCodes.Status404NotFound);
        dags.MapPatch("/{dag_id}", PatchAsync).RequireAuthorization(Roles.Operator).WithName("patch_dag")
            .WithSummary("Pause or unpause a DAG").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        dags.MapGet("/{dag_id}/source", SourceAsync).RequireAuthorization(Roles.Viewer).WithName("get_dag_source")
            .WithSummary("Get a DAG's file as registered").ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<JsonBytes<DagCollection>, ProblemHttpResult>> ListAsync(
        DagList list, string? tags, bool? paused, int? limit, int? offset, CancellationToken cancellationToken)
    {
        if (!Paging.TryCreate(limit, offset, out var page, out var problem))
        {
            return problem!;
        }

        return await list.PageAsync(tags, paused, page, cancellationToken);
    }

    private static async Task<Results<Ok<DagResponse>, ProblemHttpResult>> GetAsync(
        [FromRoute(Name = "dag_id")] string dagId, DagCatalog catalog, TimeProvider time, CancellationToken cancellationToken)
    {
        var found = await catalog.GetAsync(dagId, cancellationToken);
        return found is { } f ? TypedResults.Ok(ApiMapper.Dag(f.Record, f.Load, time.GetUtcNow())) : Problems.NotFound($"no DAG '{dagId}'");
    }

    private static async Task<Results<Ok<DagResponse>, ProblemHttpResult>> PatchAsync(
        [FromRoute(Name = "dag_id")] string dagId, DagPatch patch, OperatorActions actions, DagCatalog catalog, DagList list, HttpContext http,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (patch.IsPaused is not { } paused)
        {
            return Problems.BadRequest("the body must set 'is_paused' (true or false)");
        }

        try
        {
            var (record, _) = await actions.SetPausedAsync(dagId, paused, AuditLog.Actor(http), cancellationToken);
            return TypedResults.Ok(ApiMapper.Dag(record, catalog.Parse(record), time.GetUtcNow()));
        }
        catch (OperationException refused)
        {
            return Problems.From(refused);
        }
        finally
        {
            list.Invalidate();
        }
    }

    private static async Task<Results<Ok<DagSourceResponse>, ContentHttpResult, ProblemHttpResult>> SourceAsync(
        [FromRoute(Name = "dag_id")] string dagId, IStateStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var dag = await store.GetDagAsync(dagId, cancellationToken);
        if (dag is null)
        {
            return Problems.NotFound($"no DAG '{dagId}'");
        }

        var accept = http.Request.Headers.Accept.ToString();
        if (accept.Contains("text/plain", StringComparison.OrdinalIgnoreCase) && !accept.Contains("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Text(dag.Source, "text/plain; charset=utf-8");
        }

        return TypedResults.Ok(new DagSourceResponse(dag.DagId, dag.FilePath, dag.Source));
    }
}
