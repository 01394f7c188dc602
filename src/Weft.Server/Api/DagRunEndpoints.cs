using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Execution;
using Weft.Engine.Json;
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
        [FromRoute(Name = "dag_id")] string dagId, TriggerRequest? request, IStateStore store, DagCatalog catalog, IRunControl control,
        AuditLog audit, WeftMetrics metrics, ServerSecrets secrets, TimeProvider time, HttpContext http, CancellationToken cancellationToken)
    {
        var found = await catalog.GetAsync(dagId, cancellationToken);
        if (found is null)
        {
            return Problems.NotFound($"no DAG '{dagId}'");
        }

        if (found.Value.Load.Dag is not { } dag)
        {
            return Problems.Conflict($"DAG '{dagId}' does not load: {found.Value.Load.Diagnostics.FirstOrDefault()?.Message}");
        }

        if (!TryReadConf(dag, request?.Conf, out var conf, out var error))
        {
            return Problems.BadRequest(error!);
        }

        if (request?.RunId is { } wantedId && !RouteIds.RunId().IsMatch(wantedId))
        {
            return Problems.BadRequest("run_id must match ^[A-Za-z0-9][A-Za-z0-9_.:+-]{0,249}$");
        }

        RunRecord run;
        try
        {
            if (request?.LogicalDate is null && request?.RunId is null)
            {
                run = await RunLauncher.CreateManualRunAsync(store, dag, conf, null, time, cancellationToken);
            }
            else
            {
                var now = time.GetUtcNow();
                var at = request.LogicalDate ?? now;
                run = RunFactory.NewRun(dag, request.RunId ?? Weft.Core.Scheduling.RunIds.Manual(at), "manual", at, at, at,
                    RunFactory.EffectiveParams(dag, conf), null, now);
                await store.CreateRunAsync(run, RunFactory.NewTaskInstances(dag, run.RunId), cancellationToken);
            }
        }
        catch (DuplicateRunException ex)
        {
            return Problems.Conflict(ex.Message);
        }

        await audit.WriteAsync(http, "triggered", dagId, run.RunId, null, "run triggered", cancellationToken);
        metrics.RunEntered(dagId, RunState.Queued.ToName());
        control.Nudge();
        var snapshot = await store.GetRunAsync(dagId, run.RunId, cancellationToken);
        var body = ApiMapper.Run(snapshot?.Run ?? run, snapshot?.Tasks ?? [], await secrets.MaskerAsync(cancellationToken));
        return TypedResults.Created($"/api/v1/dags/{Uri.EscapeDataString(dagId)}/dagRuns/{Uri.EscapeDataString(run.RunId)}", body);
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
        RunActions actions, ServerSecrets secrets, HttpContext http, CancellationToken cancellationToken)
    {
        if (patch.State is null || !StateNames.TryParseRunState(patch.State, out var state) || state == RunState.Running)
        {
            return Problems.BadRequest("state must be one of success, failed, queued");
        }

        var outcome = await actions.MarkRunAsync(http, dagId, runId, state, cancellationToken);
        return outcome.Error is not null
            ? Problems.Make(outcome.Status, outcome.Status == 404 ? "Not found" : "Bad request", outcome.Error)
            : TypedResults.Ok(ApiMapper.Run(outcome.Run!.Run, outcome.Run.Tasks, await secrets.MaskerAsync(cancellationToken)));
    }

    private static async Task<Results<Ok<ClearResponse>, ProblemHttpResult>> ClearAsync(
        [FromRoute(Name = "dag_id")] string dagId, [FromRoute(Name = "run_id")] string runId, ClearRequest? request,
        RunActions actions, HttpContext http, CancellationToken cancellationToken)
    {
        request ??= new ClearRequest(null);
        if (request.TaskIds?.FirstOrDefault(id => !RouteIds.Id().IsMatch(id)) is not null)
        {
            return Problems.BadRequest("task_ids must hold task identifiers");
        }

        var outcome = await actions.ClearAsync(http, dagId, runId, request, cancellationToken);
        return outcome.Error is not null
            ? Problems.Make(outcome.Status, outcome.Status == 404 ? "Not found" : "Bad request", outcome.Error)
            : TypedResults.Ok(new ClearResponse(outcome.TaskIds, outcome.Run!.Run.State.ToName(), request.DryRun));
    }

    /// <summary>The run's conf: a JSON object whose keys are all parameters of the DAG (Airflow's strict params).</summary>
    internal static bool TryReadConf(DagDefinition dag, JsonElement? body, out IReadOnlyDictionary<string, JsonElement>? conf, out string? error)
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

        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!dag.Params.ContainsKey(property.Name))
            {
                var known = dag.Params.IsEmpty ? "the DAG has no params" : "known params: " + string.Join(", ", dag.Params.Keys.Order(StringComparer.Ordinal));
                error = $"unknown param '{property.Name}' in conf; {known}";
                return false;
            }

            values[property.Name] = property.Value.Clone();
        }

        conf = values;
        return true;
    }
}
