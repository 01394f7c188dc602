using System.CommandLine;
using Weft.Engine.Storage;

namespace Weft.Cli.Commands;

/// <summary>Finding the run (and its DAG) an operator command names, with the contract's errors when it is not there.</summary>
internal static class RunsLookup
{
    /// <summary>The <c>RUN_ID</c> argument the run commands share.</summary>
    public static Argument<string> RunIdArgument() => new("RUN_ID") { Description = "The run's id, as 'weft runs list' shows it" };

    /// <summary>The <c>--dag</c> option that picks between runs of different DAGs that share an id.</summary>
    public static Option<string?> DagOption() => new("--dag")
    {
        Description = "The DAG of the run, when runs of several DAGs share the id [default: the newest run with the id]",
        HelpName = "DAG",
    };

    /// <summary>The run with its task instances; exit 1 when there is none.</summary>
    public static async Task<RunSnapshot> GetRunAsync(IStateStore store, string? dagId, string runId, CancellationToken cancellationToken)
    {
        var snapshot = await store.GetRunAsync(dagId, runId, cancellationToken).ConfigureAwait(false);
        if (snapshot is null)
        {
            var of = dagId is null ? "" : $" of DAG '{dagId}'";
            throw new CliException(ExitCodes.Failed, $"no run '{runId}'{of}", "list runs with 'weft runs list'");
        }

        return snapshot;
    }

    /// <summary>The task instance of a run; exit 1 when the run has no such task.</summary>
    public static TaskInstanceRecord GetTask(RunSnapshot run, string taskId) =>
        run.Tasks.FirstOrDefault(t => t.TaskId == taskId)
        ?? throw new CliException(
            ExitCodes.Failed,
            $"run '{run.Run.RunId}' of DAG '{run.Run.DagId}' has no task '{taskId}'",
            $"its tasks: {string.Join(", ", run.Tasks.Take(10).Select(t => t.TaskId))}{(run.Tasks.Count > 10 ? ", …" : "")}");
}
