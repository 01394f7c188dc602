using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Weft.Engine.Json;
using Weft.Engine.Storage;
using Weft.Server.Api.Models;
using Weft.Server.Auth;
using Weft.Server.Hosting;

namespace Weft.Server.Api;

/// <summary><c>/api/v1/health</c> (no authentication), <c>/api/v1/events</c>, <c>/api/v1/workers</c>.</summary>
internal static class StatusEndpoints
{
    /// <summary>A component whose heartbeat is older than this is reported unhealthy.</summary>
    private static readonly TimeSpan Stale = TimeSpan.FromSeconds(30);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/health", HealthAsync).AllowAnonymous().WithTags("Monitoring").WithName("get_health")
            .WithSummary("Database status and heartbeat ages; no authentication")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/events", EventsAsync).RequireAuthorization(Roles.Viewer).WithTags("Monitoring").WithName("list_events")
            .WithSummary("Audit events and SLA misses, newest first").ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/workers", Workers).RequireAuthorization(Roles.Viewer).WithTags("Monitoring").WithName("list_workers")
            .WithSummary("Processes that run tasks");
    }

    private static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> HealthAsync(
        IStateStore store, Heartbeats heartbeats, IOptions<ServerOptions> options, IOptions<JsonOptions> json, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        ComponentHealth database;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await store.ListPoolsAsync(timeout.Token);
            database = new ComponentHealth("healthy", now, 0);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            database = new ComponentHealth("unhealthy", null, null);
        }

        var scheduler = Component(heartbeats.Latest(Heartbeats.Scheduler), now, required: false);
        var executor = Component(heartbeats.Latest(Heartbeats.Executor), now, required: options.Value.ExecutorEnabled);
        var dags = Component(heartbeats.Latest(Heartbeats.DagProcessor), now, required: true);
        var healthy = database.Status == "healthy" && executor.Status != "unhealthy" && dags.Status != "unhealthy";
        var body = new HealthResponse(healthy ? "healthy" : "unhealthy", database, scheduler, executor, dags);
        return healthy ? TypedResults.Ok(body) : TypedResults.Json(body, json.Value.SerializerOptions.TypeInfo<HealthResponse>(), statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static ComponentHealth Component(DateTimeOffset? latest, DateTimeOffset now, bool required)
    {
        if (latest is not { } at)
        {
            return new ComponentHealth(required ? "unhealthy" : "not_running", null, null);
        }

        var age = now - at;
        return new ComponentHealth(age <= Stale ? "healthy" : "unhealthy", at, Math.Round(age.TotalSeconds, 3));
    }

    private static async Task<Results<Ok<EventCollection>, ProblemHttpResult>> EventsAsync(int? limit, int? offset, IStateStore store, CancellationToken cancellationToken)
    {
        if (!Paging.TryCreate(limit, offset, out var page, out var problem))
        {
            return problem!;
        }

        var events = await store.ListEventsAsync(page.Limit, page.Offset, cancellationToken);
        return TypedResults.Ok(new EventCollection(
            [.. events.Items.Select(e => new EventResponse(e.Id, e.When, e.Kind, e.DagId, e.RunId, e.TaskId, e.Message))], events.TotalEntries));
    }

    private static Ok<WorkerCollection> Workers(Heartbeats heartbeats, IOptions<ServerOptions> options, Execution.IRunControl control)
    {
        if (!options.Value.ExecutorEnabled)
        {
            return TypedResults.Ok(new WorkerCollection([], 0));
        }

        var worker = new WorkerResponse($"server:{Environment.MachineName}:{Environment.ProcessId}", "local", ["*"],
            control is Execution.LocalExecutorService local ? local.ActiveRuns : 0, heartbeats.Latest(Heartbeats.Executor));
        return TypedResults.Ok(new WorkerCollection([worker], 1));
    }
}
