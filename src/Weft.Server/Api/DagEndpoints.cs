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
        dags.MapPost("/", UploadAsync).RequireAuthorization(Roles.Author).WithName("post_dag")
            .WithSummary("Upload a DAG: its YAML or JSON text as the body; validated as a file is, stored and scheduled")
            .Accepts<string>("application/yaml", "application/json", "text/yaml", "text/plain")
            .Produces<DagResponse>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        dags.MapPut("/{dag_id}", ReplaceAsync).RequireAuthorization(Roles.Author).WithName("put_dag")
            .WithSummary("Replace (or create) an uploaded DAG")
            .Accepts<string>("application/yaml", "application/json", "text/yaml", "text/plain")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        dags.MapDelete("/{dag_id}", DeleteAsync).RequireAuthorization(Roles.Author).WithName("delete_dag")
            .WithSummary("Delete an uploaded DAG (its runs stay)").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
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

    private static Task<Results<Created<DagResponse>, Ok<DagResponse>, ProblemHttpResult>> UploadAsync(
        HttpRequest request, OperatorActions actions, DagCatalog catalog, DagList list, CancellationToken cancellationToken) =>
        DagUploads.HandleAsync(request, null, actions, catalog, list, cancellationToken);

    private static Task<Results<Created<DagResponse>, Ok<DagResponse>, ProblemHttpResult>> ReplaceAsync(
        [FromRoute(Name = "dag_id")] string dagId, HttpRequest request, OperatorActions actions, DagCatalog catalog, DagList list, CancellationToken cancellationToken) =>
        DagUploads.HandleAsync(request, dagId, actions, catalog, list, cancellationToken);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        [FromRoute(Name = "dag_id")] string dagId, OperatorActions actions, DagList list, HttpContext http, CancellationToken cancellationToken)
    {
        try
        {
            await actions.DeleteDagAsync(dagId, AuditLog.Actor(http), cancellationToken);
            return TypedResults.NoContent();
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
