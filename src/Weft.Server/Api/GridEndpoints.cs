using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using Weft.Server.Api.Models;
using Weft.Server.Auth;
using Weft.Server.Dags;

namespace Weft.Server.Api;

/// <summary>
/// <c>GET /api/v1/dags/{dag_id}/grid</c>: the last runs of a DAG with the state of every task instance, in one
/// request, so a grid or a graph never asks once per run or per task. States come as arrays in the order of
/// <c>task_ids</c> rather than objects: 100 runs of 1,000 tasks stay about a megabyte.
/// </summary>
internal static class GridEndpoints
{
    private const int MaxRuns = 200;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/dags/{dag_id}/grid", GetAsync).RequireAuthorization(Roles.Viewer).WithTags("DAG runs").WithName("get_dag_grid")
            .WithSummary("A DAG's last runs (limit, default 25, at most 200) with every task instance's state")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<GridResponse>, ProblemHttpResult>> GetAsync(
        [FromRoute(Name = "dag_id")] string dagId, int? limit, DagCatalog catalog, IStateStore store, FinishedRuns finished,
        CancellationToken cancellationToken)
    {
        var count = limit ?? 25;
        if (count is < 1 or > MaxRuns)
        {
            return Problems.BadRequest($"limit must be between 1 and {MaxRuns}");
        }

        var dag = await catalog.GetAsync(dagId, cancellationToken);
        if (dag is not { } found)
        {
            return Problems.NotFound($"no DAG '{dagId}'");
        }

        var taskIds = found.Load.Dag?.Tasks.Select(t => t.Id).ToList() ?? [];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < taskIds.Count; i++)
        {
            index[taskIds[i]] = i;
        }

        var page = await store.ListRunsAsync(new RunQuery(dagId, null, count, 0), cancellationToken);
        var snapshots = new List<RunSnapshot>(page.Items.Count);
        foreach (var run in page.Items)
        {
            if (await finished.GetAsync(dagId, run.RunId, cancellationToken) is { } snapshot)
            {
                snapshots.Add(snapshot);
                // A task an older version of the DAG had still gets its column.
                foreach (var t in snapshot.Tasks.Where(t => !index.ContainsKey(t.TaskId)))
                {
                    index[t.TaskId] = taskIds.Count;
                    taskIds.Add(t.TaskId);
                }
            }
        }

        var none = TaskState.None.ToName();
        var runs = snapshots.Select(s =>
        {
            var states = Enumerable.Repeat(none, taskIds.Count).ToArray();
            var tries = new int[taskIds.Count];
            foreach (var t in s.Tasks)
            {
                var i = index[t.TaskId];
                states[i] = t.State.ToName();
                tries[i] = t.TryNumber;
            }

            var r = s.Run;
            return new GridRunResponse(r.RunId, r.State.ToName(), r.RunType, r.LogicalDate, r.StartDate, r.EndDate, states, tries);
        }).ToList();
        return TypedResults.Ok(new GridResponse(dagId, taskIds, runs, page.TotalEntries));
    }
}
