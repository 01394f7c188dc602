using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Weft.Core.Runs;
using Weft.Engine.Operations;
using Weft.Server.Api.Models;
using Weft.Server.Auth;
using Weft.Server.Execution;
using Weft.Server.Hosting;

namespace Weft.Server.Api;

/// <summary>
/// The Go orchestrator's dead-letter queue and circuit breakers: <c>GET /api/v1/taskInstances?state=failed</c> across
/// runs, <c>POST …/taskInstances/{task_id}/replay</c>, and <c>GET /api/v1/circuitBreakers</c>.
/// </summary>
internal static class DeadLetterEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/taskInstances", ListAsync).RequireAuthorization(Roles.Viewer).WithTags("Task instances").WithName("list_task_instances_across_runs")
            .WithSummary("Task instances in one state across runs, newest first: ?state=failed (the default) lists the dead letters")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapPost("/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/replay", ReplayAsync).RequireAuthorization(Roles.Operator)
            .WithTags("Task instances").WithName("replay_task_instance")
            .WithSummary("Replay a task: clear it and its downstream tasks so they run again").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/circuitBreakers", CircuitsAsync).RequireAuthorization(Roles.Viewer).WithTags("Monitoring").WithName("list_circuit_breakers")
            .WithSummary("Circuit breakers: state (closed, open, half_open), consecutive failures, since when open");
    }

    private static async Task<Results<Ok<DeadLetterCollection>, ProblemHttpResult>> ListAsync(
        string? state, [FromQuery(Name = "dag_id")] string? dagId, int? limit, int? offset, OperatorActions actions, ServerSecrets secrets, CancellationToken cancellationToken)
    {
        if (!Paging.TryCreate(limit, offset, out var page, out var problem))
        {
            return problem!;
        }

        var filter = TaskState.Failed;
        if (state is not null && !StateNames.TryParseTaskState(state, out filter))
        {
            return Problems.BadRequest($"unknown task state '{state}'");
        }

        var found = await actions.ListTaskInstancesAsync(filter, dagId, page.Limit, page.Offset, cancellationToken);
        var masker = await secrets.MaskerAsync(cancellationToken);
        return TypedResults.Ok(new DeadLetterCollection(
            [.. found.Items.Select(t => new DeadLetterResponse(t.DagId, t.RunId, ApiMapper.TaskInstance(t, masker)))], found.TotalEntries));
    }

    private static async Task<Results<Ok<ClearResponse>, ProblemHttpResult>> ReplayAsync(
        [FromRoute(Name = "dag_id")] string dagId, [FromRoute(Name = "run_id")] string runId, [FromRoute(Name = "task_id")] string taskId,
        OperatorActions actions, IRunControl control, FinishedRuns finished, HttpContext http, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await actions.ReplayAsync(dagId, runId, taskId, AuditLog.Actor(http), cancellationToken);
            return TypedResults.Ok(new ClearResponse(outcome.Cleared, outcome.Run.Run.State.ToName(), DryRun: false));
        }
        catch (OperationException refused)
        {
            return Problems.From(refused);
        }
        finally
        {
            DagRunEndpoints.Changed(control, finished);
        }
    }

    private static async Task<Ok<CircuitBreakerCollection>> CircuitsAsync(OperatorActions actions, CancellationToken cancellationToken)
    {
        var circuits = await actions.ListCircuitBreakersAsync(cancellationToken);
        return TypedResults.Ok(new CircuitBreakerCollection(
            [.. circuits.Select(c => new CircuitBreakerResponse(c.Name, c.State, c.Failures, c.OpenedAt, c.ProbeStartedAt, c.UpdatedAt))], circuits.Count));
    }
}
