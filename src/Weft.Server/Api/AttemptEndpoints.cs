using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using Weft.Server.Api.Models;
using Weft.Server.Auth;
using Weft.Server.Hosting;

namespace Weft.Server.Api;

/// <summary>
/// <c>GET …/dagRuns/{run_id}/attempts</c>: every try of a run's tasks (optionally of one task), oldest first, in one
/// answer: what a Gantt chart or a task's history shows, retries and lost attempts included.
/// </summary>
internal static class AttemptEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/dags/{dag_id}/dagRuns/{run_id}/attempts", ListAsync).RequireAuthorization(Roles.Viewer).WithTags("Task instances")
            .WithName("list_attempts").WithSummary("Every attempt of a run's tasks (task_id: of one task), oldest first")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<AttemptCollection>, ProblemHttpResult>> ListAsync(
        [FromRoute(Name = "dag_id")] string dagId, [FromRoute(Name = "run_id")] string runId, [FromQuery(Name = "task_id")] string? taskId,
        IStateStore store, ServerSecrets secrets, CancellationToken cancellationToken)
    {
        if (taskId is not null && !RouteIds.Id().IsMatch(taskId))
        {
            return Problems.BadRequest("task_id must be a task identifier");
        }

        if (await store.GetRunAsync(dagId, runId, cancellationToken) is null)
        {
            return Problems.NotFound($"no run '{runId}' of DAG '{dagId}'");
        }

        var masker = await secrets.MaskerAsync(cancellationToken);
        var attempts = await store.GetAttemptsAsync(dagId, runId, taskId, cancellationToken);
        return TypedResults.Ok(new AttemptCollection(
            [.. attempts.Select(a => new AttemptResponse(
                a.TaskId, a.TryNumber, a.State.ToName(), a.StartDate, a.EndDate,
                a.EndDate is { } end ? (long)(end - a.StartDate).TotalMilliseconds : null,
                a.ExitCode, a.Reason is null ? null : masker.Mask(a.Reason)))],
            attempts.Count));
    }
}
