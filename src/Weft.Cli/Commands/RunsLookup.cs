using System.CommandLine;
using Weft.Core.Dags;
using Weft.Core.Definitions;
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

    /// <summary>
    /// The DAG a run belongs to: the file it was started from when that still exists, else the source the database
    /// registered, else the DAG with its id in the DAGs folder. A DAG that no longer loads ends the command (exit 2).
    /// </summary>
    public static async Task<DagDefinition> LoadDagAsync(CliContext context, IStateStore store, RunRecord run, CancellationToken cancellationToken)
    {
        LoadResult? result = null;
        if (run.DagFile is not null && File.Exists(run.DagFile))
        {
            context.WriteVerbose($"loading {run.DagFile}");
            result = DagLoader.LoadFile(run.DagFile);
        }
        else if (await store.GetDagAsync(run.DagId, cancellationToken).ConfigureAwait(false) is { } registered)
        {
            context.WriteVerbose($"loading DAG '{run.DagId}' as the database registered it");
            result = DagLoader.LoadText(registered.Source, registered.FilePath ?? run.DagId + ".yaml");
        }

        if (result is null)
        {
            return DagTargets.Load(context, run.DagId);
        }

        if (result.Dag is null)
        {
            context.WriteDiagnostics(result.Diagnostics);
            throw CliException.Usage($"DAG '{run.DagId}' of run '{run.RunId}' does not load", "fix the DAG file; 'weft validate' lists its problems");
        }

        if (result.Dag.Id != run.DagId)
        {
            throw CliException.Usage($"'{result.File}' now holds DAG '{result.Dag.Id}', not '{run.DagId}' of run '{run.RunId}'");
        }

        return result.Dag;
    }
}
