using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Weft.Engine.Json;
using Weft.Engine.Operations;
using Weft.Engine.Storage;
using Weft.Server.Api.Models;
using Weft.Server.Auth;
using Weft.Server.Hosting;

namespace Weft.Server.Api;

/// <summary><c>/api/v1/health</c> and <c>/health</c> (no authentication), <c>/api/v1/events</c>, <c>/api/v1/workers</c>.</summary>
internal static class StatusEndpoints
{
    /// <summary>A component whose heartbeat is older than this is reported unhealthy.</summary>
    private static readonly TimeSpan Stale = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>/health</c> at the root, answering as <c>/api/v1/health</c> does: the path load balancers and the Go
    /// orchestrator's users probe.
    /// </summary>
    public static void MapRootHealth(IEndpointRouteBuilder app) =>
        app.MapGet("/health", HealthAsync).AllowAnonymous().ExcludeFromDescription();

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/health", HealthAsync).AllowAnonymous().WithTags("Monitoring").WithName("get_health")
            .WithSummary("Database status, heartbeat ages and live workers; no authentication")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/events", EventsAsync).RequireAuthorization(Roles.Viewer).WithTags("Monitoring").WithName("list_events")
            .WithSummary("Audit events and SLA misses, newest first").ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/workers", Workers).RequireAuthorization(Roles.Viewer).WithTags("Monitoring").WithName("list_workers")
            .WithSummary("Processes that run tasks");
    }

    private static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> HealthAsync(
        IStateStore store, DagRegistry registry, Execution.ExecutionService execution, IOptions<ServerOptions> options, IOptions<JsonOptions> json, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        ComponentHealth database;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await store.ListPoolsAsync(timeout.Token);
            // Reads work; whether writes do is what the executor's last writes tell.
            database = execution.Executor?.Health.Failure is { } failure
                ? new ComponentHealth("degraded", now, 0, Error: $"writes failing since {failure.Since.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}: {failure.Error}")
                : new ComponentHealth("healthy", now, 0);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            database = new ComponentHealth("unhealthy", null, null, Error: ex.Message);
        }

        var scheduler = Component(execution.Loop?.LastPass, now, required: true);
        ComponentHealth executor;
        if (execution.Executor is { } running)
        {
            var lease = running.Lease;
            executor = Component(lease.RenewedAt, now, required: true) with
            {
                Owner = lease.OwnerId,
                LeaseExpiresAt = lease.RenewedAt + lease.Options.LeaseDuration,
            };
        }
        else
        {
            executor = Component(null, now, required: options.Value.ExecutorEnabled);
        }

        var dags = Component(registry.LastSync, now, required: true);
        IReadOnlyList<WorkerHealth> workers = [];
        if (database.Status != "unhealthy")
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                // Health answers without a token: a count of the attempts each holds, not which (that is /api/v1/workers').
                workers = [.. (await LiveWorkers.ListAsync(store, execution, now, timeout.Token))
                    .Select(w => new WorkerHealth(w.Name, w.Kind, w.Queues, w.LatestHeartbeat, w.RunningAttempts.Count))];
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The database's status already says why; workers are then unknown, not a failure of their own.
            }
        }

        // While the database refuses writes, the scheduler's and executor's heartbeats age because they wait for it:
        // the process is degraded (it retries and catches up), not broken; its cause is what health names.
        var degraded = database.Status == "degraded";
        var healthy = database.Status != "unhealthy"
            && (degraded || (executor.Status != "unhealthy" && dags.Status != "unhealthy" && scheduler.Status != "unhealthy"));
        var status = !healthy ? "unhealthy" : degraded ? "degraded" : "healthy";
        var body = new HealthResponse(status, database, scheduler, executor, dags, workers);
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

    private static async Task<Ok<WorkerCollection>> Workers(IStateStore store, Execution.ExecutionService execution, TimeProvider time, CancellationToken cancellationToken)
    {
        var workers = await LiveWorkers.ListAsync(store, execution, time.GetUtcNow(), cancellationToken);
        return TypedResults.Ok(new WorkerCollection(workers, workers.Count));
    }
}
