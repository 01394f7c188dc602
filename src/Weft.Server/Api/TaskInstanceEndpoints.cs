using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Weft.Core.Runs;
using Weft.Engine.Operations;
using Weft.Engine.Runners.Expressions;
using Weft.Engine.Storage;
using Weft.Server.Api.Models;
using Weft.Server.Auth;
using Weft.Server.Execution;
using Weft.Server.Hosting;

namespace Weft.Server.Api;

/// <summary><c>…/dagRuns/{run_id}/taskInstances</c>: list, show, mark, clear.</summary>
internal static class TaskInstanceEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var tasks = api.MapGroup("/dags/{dag_id}/dagRuns/{run_id}/taskInstances").WithTags("Task instances");
        tasks.MapGet("/", ListAsync).RequireAuthorization(Roles.Viewer).WithName("list_task_instances")
            .WithSummary("List a run's task instances").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        tasks.MapGet("/{task_id}", GetAsync).RequireAuthorization(Roles.Viewer).WithName("get_task_instance")
            .WithSummary("Get a task instance").ProducesProblem(StatusCodes.Status404NotFound);
        tasks.MapPatch("/{task_id}", PatchAsync).RequireAuthorization(Roles.Operator).WithName("patch_task_instance")
            .WithSummary("Mark a task instance success or failed").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        tasks.MapPost("/{task_id}/clear", ClearAsync).RequireAuthorization(Roles.Operator).WithName("clear_task_instance")
            .WithSummary("Clear a task instance (and optionally its downstream) so it runs again").ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<JsonBytes<TaskInstanceCollection>, ProblemHttpResult>> ListAsync(
        [FromRoute(Name = "dag_id")] string dagId, [FromRoute(Name = "run_id")] string runId, string? state, int? limit, int? offset,
        FinishedRuns runs, ServerSecrets secrets, CancellationToken cancellationToken)
    {
        if (!Paging.TryCreate(limit, offset, out var page, out var problem))
        {
            return problem!;
        }

        TaskState? filter = null;
        if (state is not null)
        {
            if (!StateNames.TryParseTaskState(state, out var parsed))
            {
                return Problems.BadRequest($"unknown task state '{state}'");
            }

            filter = parsed;
        }

        var masker = await secrets.MaskerAsync(cancellationToken);
        var answer = await runs.TaskInstancesAsync(dagId, runId, filter, page, masker, cancellationToken);
        return answer is null ? Problems.NotFound($"no run '{runId}' of DAG '{dagId}'") : answer;
    }

    private static async Task<Results<Ok<TaskInstanceResponse>, ProblemHttpResult>> GetAsync(
        [FromRoute(Name = "dag_id")] string dagId, [FromRoute(Name = "run_id")] string runId, [FromRoute(Name = "task_id")] string taskId,
        FinishedRuns runs, ServerSecrets secrets, DagRegistry registry, CancellationToken cancellationToken)
    {
        var snapshot = await runs.GetAsync(dagId, runId, cancellationToken);
        var task = snapshot?.Tasks.FirstOrDefault(t => t.TaskId == taskId);
        if (snapshot is null || task is null)
        {
            return Problems.NotFound($"no task instance '{taskId}' in run '{runId}' of DAG '{dagId}'");
        }

        var masker = await secrets.MaskerAsync(cancellationToken);
        var values = await secrets.ValuesAsync(cancellationToken);
        // The definition the run executes, resolved as the executor resolves it.
        var command = await registry.ResolveAsync(snapshot.Run, cancellationToken) is { } dag
            ? CommandPreview.Render(dag, snapshot, taskId, task.TryNumber, name => values.GetValueOrDefault(name), masker)
            : null;
        return TypedResults.Ok(ApiMapper.TaskInstance(task, masker) with { RenderedCommand = command });
    }

    private static async Task<Results<Ok<TaskInstanceResponse>, ProblemHttpResult>> PatchAsync(
        [FromRoute(Name = "dag_id")] string dagId, [FromRoute(Name = "run_id")] string runId, [FromRoute(Name = "task_id")] string taskId,
        StatePatch patch, OperatorActions actions, IRunControl control, FinishedRuns finished, ServerSecrets secrets, HttpContext http, CancellationToken cancellationToken)
    {
        if (patch.State is not ("success" or "failed"))
        {
            return Problems.BadRequest("state must be success or failed");
        }

        var state = patch.State == "success" ? TaskState.Success : TaskState.Failed;
        try
        {
            var outcome = await actions.MarkTaskAsync(dagId, runId, taskId, state, AuditLog.Actor(http), cancellationToken);
            var task = outcome.Run.Tasks.First(t => t.TaskId == taskId);
            return TypedResults.Ok(ApiMapper.TaskInstance(task, await secrets.MaskerAsync(cancellationToken)));
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

    private static Task<Results<Ok<ClearResponse>, ProblemHttpResult>> ClearAsync(
        [FromRoute(Name = "dag_id")] string dagId, [FromRoute(Name = "run_id")] string runId, [FromRoute(Name = "task_id")] string taskId,
        Models.ClearRequest? request, OperatorActions actions, IRunControl control, FinishedRuns finished, HttpContext http, CancellationToken cancellationToken) =>
        DagRunEndpoints.ClearTasksAsync(actions, control, finished, http, dagId, runId, request ?? new Models.ClearRequest(null), [taskId], cancellationToken);
}
