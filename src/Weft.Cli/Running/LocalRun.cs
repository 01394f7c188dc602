using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Abstractions;
using Weft.Cli.Commands;
using Weft.Core.Dags;
using Weft.Core.Definitions;
using Weft.Core.Runs;
using Weft.Engine.Execution;
using Weft.Engine.Json;
using Weft.Engine.Operations;
using Weft.Engine.Storage;

namespace Weft.Cli.Running;

/// <summary><c>weft run</c> and <c>weft run --resume</c>: one run driven to its end in this process.</summary>
internal static class LocalRun
{
    // Exit code of an interrupted run: 128 + the signal's number, as shells report it; 130 for SIGINT.
    private const int Interrupted = 130;

    public static async Task<int> ExecuteAsync(CliContext context, RunRequest request, CancellationToken cancellationToken)
    {
        // Ctrl+C (SIGINT) and SIGTERM interrupt the run: running attempts are killed and recorded as interrupted,
        // and the run stays resumable (see RunInterrupts, installed as the process starts).
        RunInterrupts.Install();
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, RunInterrupts.Token);
        var exitCode = await ExecuteAsync(context, request, interrupt, cancellationToken).ConfigureAwait(false);
        return exitCode == Interrupted ? RunInterrupts.ExitCode : exitCode;
    }

    private static async Task<int> ExecuteAsync(CliContext context, RunRequest request, CancellationTokenSource interrupt, CancellationToken cancellationToken)
    {
        await using var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        StartupTrace.Mark("run: store opened");
        await using var executor = await Executor.StartAsync(
            store,
            new ExecutorSettings { Kind = "run", Home = context.Home, TasksDir = request.TasksDirectory, RunParallelism = request.Parallelism, WaitForDatabase = false },
            TimeProvider.System,
            NullLogger.Instance,
            cancellationToken).ConfigureAwait(false);
        StartupTrace.Mark("run: owner registered");

        DagDefinition dag;
        ClaimedRun claimed;
        if (request.ResumeRunId is { } resume)
        {
            RunSnapshot? finished;
            (dag, claimed, finished) = await ClaimForResumeAsync(context, executor, request, resume, cancellationToken).ConfigureAwait(false);
            if (finished is not null)
            {
                return await ReportAsync(context, finished, interrupted: false, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            dag = request.Dag!;
            claimed = await executor.CreateManualRunAsync(dag, request.Conf, dag.SourceFile is null ? null : Path.GetFullPath(dag.SourceFile), cancellationToken).ConfigureAwait(false);
        }

        StartupTrace.Mark("run: run claimed");
        var runId = claimed.Claim.RunId;
        // With --output the tasks' lines go to stdout, so progress is a plain line per finished task, not a live panel.
        using var progress = RunProgress.Create(context, dag, runId, plain: request.Output);
        var output = request.Output && !context.Json && !context.Quiet
            ? new TaskOutput(context, dag.Id, runId, dag.Tasks.Max(t => t.Id.Length), progress)
            : null;
        RunSnapshot result;
        try
        {
            result = await executor.ExecuteAsync(dag, claimed, (IRunObserver?)output ?? progress, interrupt.Token).ConfigureAwait(false);
        }
        catch (ClaimLostException)
        {
            progress.Stop();
            throw new CliException(ExitCodes.Infrastructure, $"run '{runId}' was taken over by another process; its tasks here were stopped", $"follow it with 'weft runs show {runId}'");
        }
        catch (OwnerFencedException)
        {
            progress.Stop();
            throw new CliException(ExitCodes.Infrastructure, $"the database did not answer in time to keep run '{runId}'; its tasks were stopped", $"continue it with 'weft run --resume {runId}' once the database answers");
        }

        if (output is not null)
        {
            await output.StopAsync().ConfigureAwait(false);
        }

        progress.Stop();
        StartupTrace.Mark("run: executed");
        return await ReportAsync(context, result, interrupted: result.Run.State is RunState.Running or RunState.Queued, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> ReportAsync(CliContext context, RunSnapshot result, bool interrupted, CancellationToken cancellationToken)
    {
        if (context.Json)
        {
            context.Out.WriteLine(RunJson.Serialize(result));
        }
        else if (!context.Quiet)
        {
            RunSummary.Write(context, result);
            await FailureTails.WriteAsync(context, result, cancellationToken).ConfigureAwait(false);
        }

        StartupTrace.Mark("run: reported");
        if (interrupted)
        {
            context.WriteError($"run '{result.Run.RunId}' was interrupted", $"continue it with 'weft run --resume {result.Run.RunId}'");
            return Interrupted;
        }

        return result.Run.State == RunState.Success ? ExitCodes.Success : ExitCodes.Failed;
    }

    /// <summary>The run to resume, claimed; or, when it already finished, its rows to report.</summary>
    private static async Task<(DagDefinition, ClaimedRun, RunSnapshot?)> ClaimForResumeAsync(
        CliContext context, Executor executor, RunRequest request, string runId, CancellationToken cancellationToken)
    {
        var snapshot = await executor.Store.GetRunAsync(request.Dag?.Id, runId, cancellationToken).ConfigureAwait(false)
            ?? throw new CliException(ExitCodes.Failed, $"no run '{runId}' in {StateStores.Describe(context)}", "list runs with 'weft runs list'");
        var dag = request.Dag ?? await LoadDagOfRunAsync(context, executor.Store, snapshot.Run, cancellationToken).ConfigureAwait(false);
        if (dag.Id != snapshot.Run.DagId)
        {
            throw CliException.Usage($"run '{runId}' belongs to DAG '{snapshot.Run.DagId}', not '{dag.Id}'");
        }

        if (snapshot.Run.State is RunState.Success or RunState.Failed && snapshot.Tasks.All(t => t.State.IsFinished()))
        {
            return (dag, null!, snapshot);
        }

        var claimed = await executor.ClaimAsync(dag.Id, runId, cancellationToken).ConfigureAwait(false);
        if (claimed is null)
        {
            var now = await executor.Store.GetRunAsync(dag.Id, runId, cancellationToken).ConfigureAwait(false);
            throw new CliException(ExitCodes.Failed, $"run '{runId}' is being executed by {now?.Run.Owner ?? "another process"}", "wait for it, or stop that process first");
        }

        return (dag, claimed, null);
    }

    // The engine's rule (the run's own file while it loads, else the registered version); a DAG never registered is
    // found by id in the DAGs folder, and a broken file is reported with its errors.
    private static async Task<DagDefinition> LoadDagOfRunAsync(CliContext context, IStateStore store, RunRecord run, CancellationToken cancellationToken)
    {
        if (await RunDefinitions.ResolveAsync(store, run, registered: null, r => OperatorActions.Parse(r).Dag, cancellationToken).ConfigureAwait(false) is { } dag)
        {
            return dag;
        }

        if (run.DagFile is not null && File.Exists(run.DagFile))
        {
            context.WriteDiagnostics(DagLoader.LoadFile(run.DagFile).Diagnostics);
            throw CliException.Reported(ExitCodes.Usage);
        }

        return DagTargets.Load(context, run.DagId);
    }
}
