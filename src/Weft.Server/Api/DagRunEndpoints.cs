using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Operations;
using Weft.Engine.Storage;
using Weft.Server.Api.Models;
using Weft.Server.Auth;
using Weft.Server.Dags;
using Weft.Server.Execution;
using Weft.Server.Hosting;
using Weft.Server.Metrics;

namespace Weft.Server.Api;

/// <summary><c>/api/v1/dags/{dag_id}/dagRuns</c>: list, trigger, show, mark, clear.</summary>
internal static class DagRunEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var runs = api.MapGroup("/dags/{dag_id}/dagRuns").WithTags("DAG runs");
        runs.MapGet("/", ListAsync).RequireAuthorization(Roles.Viewer).WithName("list_dag_runs")
            .WithSummary("List a DAG's runs, newest first").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapPost("/", TriggerAsync).RequireAuthorization(Roles.Operator).WithName("trigger_dag_run")
            .WithSummary("Trigger a run; conf keys must be parameters of the DAG")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        runs.MapGet("/{run_id}", GetAsync).RequireAuthorization(Roles.Viewer).WithName("get_dag_run")
            .WithSummary("Get a run with its task instances").ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapPatch("/{run_id}", PatchAsync).RequireAuthorization(Roles.Operator).WithName("patch_dag_run")
            .WithSummary("Mark a run success, failed or queued").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        runs.MapPost("/{run_id}/clear", ClearAsync).RequireAuthorization(Roles.Operator).WithName("clear_dag_run")
            .WithSummary("Clear task instances of a run so they run again").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<DagRunCollection>, ProblemHttpResult>> ListAsync(
        [FromRoute(Name = "dag_id")] string dagId, string? state, int? limit, int? offset,
        IStateStore store, ServerSecrets secrets, CancellationToken cancellationToken)
    {
        if (!Paging.TryCreate(limit, offset, out var page, out var problem))
        {
            return problem!;
        }

        RunState? filter = null;
        if (state is not null)
        {
            if (!StateNames.TryParseRunState(state, out var parsed))
            {
                return Problems.BadRequest("state must be one of queued, running, success, failed");
            }

            filter = parsed;
        }

        if (await store.GetDagAsync(dagId, cancellationToken) is null)
        {
            return Problems.NotFound($"no DAG '{dagId}'");
        }

        var masker = await secrets.MaskerAsync(cancellationToken);
        var result = await store.ListRunsAsync(new RunQuery(dagId, filter, page.Limit, page.Offset), cancellationToken);
        return TypedResults.Ok(new DagRunCollection([.. result.Items.Select(r => ApiMapper.Run(r, null, masker))], result.TotalEntries));
    }

    private static async Task<Results<Created<DagRunResponse>, ProblemHttpResult>> TriggerAsync(
        [FromRoute(Name = "dag_id")] string dagId, Models.TriggerRequest? request, OperatorActions actions, IRunControl control,
        WeftMetrics metrics, ServerSecrets secrets, HttpContext http, CancellationToken cancellationToken)
    {
        if (!TryReadConf(request?.Conf, out var conf, out var error))
        {
            return Problems.BadRequest(error!);
        }

        if (request?.RunId is { } wantedId && !RouteIds.RunId().IsMatch(wantedId))
        {
            return Problems.BadRequest("run_id must match ^[A-Za-z0-9][A-Za-z0-9_.:+-]{0,249}$");
        }

        RunSnapshot run;
        try
        {
            run = await actions.TriggerAsync(
                new Engine.Operations.TriggerRequest(dagId, conf, request?.LogicalDate, request?.RunId), AuditLog.Actor(http), cancellationToken);
        }
        catch (OperationException refused)
        {
            return Problems.From(refused);
        }

        metrics.RunEntered(dagId, RunState.Queued.ToName());
        control.Nudge();
        var body = ApiMapper.Run(run.Run, run.Tasks, await secrets.MaskerAsync(cancellationToken));
        return TypedResults.Created($"/api/v1/dags/{Uri.EscapeDataString(dagId)}/dagRuns/{Uri.EscapeDataString(run.Run.RunId)}", body);
    }

    private static async Task<Results<Ok<DagRunResponse>, ProblemHttpResult>> GetAsync(
        [FromRoute(Name = "dag_id")] string dagId, [FromRoute(Name = "run_id")] string runId, FinishedRuns runs, ServerSecrets secrets, CancellationToken cancellationToken)
    {
        var snapshot = await runs.GetAsync(dagId, runId, cancellationToken);
        return snapshot is null
            ? Problems.NotFound($"no run '{runId}' of DAG '{dagId}'")
            : TypedResults.Ok(ApiMapper.Run(snapshot.Run, snapshot.Tasks, await secrets.MaskerAsync(cancellationToken)));
    }

    private static async Task<Results<Ok<DagRunResponse>, ProblemHttpResult>> PatchAsync(
        [FromRoute(Name = "dag_id")] string dagId, [FromRoute(Name = "run_id")] string runId, StatePatch patch,
        OperatorActions actions, IRunControl control, FinishedRuns finished, ServerSecrets secrets, HttpContext http, CancellationToken cancellationToken)
    {
        if (patch.State is null || !StateNames.TryParseRunState(patch.State, out var state) || state == RunState.Running)
        {
            return Problems.BadRequest("state must be one of success, failed, queued");
        }

        try
        {
            var outcome = await actions.MarkRunAsync(dagId, runId, state, AuditLog.Actor(http), cancellationToken);
            return TypedResults.Ok(ApiMapper.Run(outcome.Run.Run, outcome.Run.Tasks, await secrets.MaskerAsync(cancellationToken)));
        }
        catch (OperationException refused)
        {
            return Problems.From(refused);
        }
        finally
        {
            Changed(control, finished);
        }
    }

    private static async Task<Results<Ok<ClearResponse>, ProblemHttpResult>> ClearAsync(
        [FromRoute(Name = "dag_id")] string dagId, [FromRoute(Name = "run_id")] string runId, Models.ClearRequest? request,
        OperatorActions actions, IRunControl control, FinishedRuns finished, HttpContext http, CancellationToken cancellationToken)
    {
        request ??= new Models.ClearRequest(null);
        if (request.TaskIds?.FirstOrDefault(id => !RouteIds.Id().IsMatch(id)) is not null)
        {
            return Problems.BadRequest("task_ids must hold task identifiers");
        }

        return await ClearTasksAsync(actions, control, finished, http, dagId, runId, request, request.TaskIds ?? [], cancellationToken);
    }

    /// <summary>The clear of a run or of one task instance: the engine's clear, answered as <see cref="ClearResponse"/>.</summary>
    internal static async Task<Results<Ok<ClearResponse>, ProblemHttpResult>> ClearTasksAsync(
        OperatorActions actions, IRunControl control, FinishedRuns finished, HttpContext http, string dagId, string runId, Models.ClearRequest request,
        IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await actions.ClearAsync(
                new Engine.Operations.ClearRequest(dagId, runId, taskIds, request.OnlyFailed, request.IncludeDownstream, request.IncludeUpstream, request.DryRun),
                AuditLog.Actor(http),
                cancellationToken);
            return TypedResults.Ok(new ClearResponse(outcome.Cleared, outcome.Run.Run.State.ToName(), outcome.DryRun));
        }
        catch (OperationException refused)
        {
            return Problems.From(refused);
        }
        finally
        {
            if (!request.DryRun)
            {
                Changed(control, finished);
            }
        }
    }

    /// <summary>After an operator changed a run: cached finished runs are read again (also after a failure: the write may have landed), and the dispatcher looks now.</summary>
    internal static void Changed(IRunControl control, FinishedRuns finished)
    {
        finished.Invalidate();
        control.Nudge();
    }

    /// <summary>The body's conf: a JSON object (or nothing); the engine checks its keys and values against the DAG's params.</summary>
    internal static bool TryReadConf(JsonElement? body, out IReadOnlyDictionary<string, JsonElement>? conf, out string? error)
    {
        conf = null;
        error = null;
        if (body is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "conf must be a JSON object";
            return false;
        }

        if (JsonUtf16.FindInvalid(element, "conf") is { } invalid)
        {
            error = JsonUtf16.Message(invalid);
            return false;
        }

        // The DAG's parameter checks are the engine's (OperatorActions), the same for the CLI.
        conf = element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
        return true;
    }
}
