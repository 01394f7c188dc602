using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Abstractions;
using Weft.Cli.Commands;
using Weft.Core.Dags;
using Weft.Core.Definitions;
using Weft.Core.Runs;
using Weft.Engine.Execution;
using Weft.Engine.Json;
using Weft.Engine.Runners;
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
        // and the run stays resumable. Handled here, not left to the default handler, which would end the process
        // at once and leave the attempts' processes running and the database not told.
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var interruptExitCode = 130;
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        var exitCode = await ExecuteAsync(context, request, interrupt, cancellationToken).ConfigureAwait(false);
        return exitCode == Interrupted ? interruptExitCode : exitCode;

        // The first signal asks for a clean stop; a second one, while stopping, ends the process the default way.
        void OnSignal(PosixSignalContext signal)
        {
            if (interrupt.IsCancellationRequested)
            {
                return;
            }

            signal.Cancel = true;
            interruptExitCode = signal.Signal == PosixSignal.SIGTERM ? 143 : 130;
            interrupt.Cancel();
        }
    }

    private static async Task<int> ExecuteAsync(CliContext context, RunRequest request, CancellationTokenSource interrupt, CancellationToken cancellationToken)
    {
        await using var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        StartupTrace.Mark("run: store opened");
        var (dag, runId) = request.ResumeRunId is { } resume
            ? await PrepareResumeAsync(context, store, request, resume, cancellationToken).ConfigureAwait(false)
            : await CreateAsync(store, request, cancellationToken).ConfigureAwait(false);

        StartupTrace.Mark("run: run created");
        var pools = await store.ListPoolsAsync(cancellationToken).ConfigureAwait(false);
        var options = new ExecutorOptions
        {
            Home = context.Home,
            Parallelism = request.Parallelism,
            TasksDir = request.TasksDirectory,
            PoolSlots = pools.ToDictionary(p => p.Name, p => p.Slots, StringComparer.Ordinal),
        };

        using var progress = RunProgress.Create(context, dag, runId);
        StartupTrace.Mark("run: pools, progress");
        var executor = new RunExecutor(store, options, TaskRunnerRegistry.CreateDefault(), progress);
        var result = await executor.ExecuteAsync(dag, runId, interrupt.Token).ConfigureAwait(false);
        progress.Stop();
        StartupTrace.Mark("run: executed");

        var interrupted = result.Run.State == RunState.Running;
        if (!interrupted)
        {
            await RunHooks.InvokeAsync(dag, result, NullLogger.Instance, CancellationToken.None).ConfigureAwait(false);
        }

        if (context.Json)
        {
            context.Out.WriteLine(RunJson.Serialize(result));
        }
        else if (!context.Quiet)
        {
            RunSummary.Write(context, result);
        }

        StartupTrace.Mark("run: reported");
        if (interrupted)
        {
            context.WriteError($"run '{runId}' was interrupted", $"continue it with 'weft run --resume {runId}'");
            return Interrupted;
        }

        return result.Run.State == RunState.Success ? ExitCodes.Success : ExitCodes.Failed;
    }

    private static async Task<(DagDefinition, string)> CreateAsync(IStateStore store, RunRequest request, CancellationToken cancellationToken)
    {
        var dag = request.Dag!;
        var run = await RunLauncher.CreateManualRunAsync(
            store, dag, request.Conf, dag.SourceFile is null ? null : Path.GetFullPath(dag.SourceFile), TimeProvider.System, cancellationToken).ConfigureAwait(false);
        return (dag, run.RunId);
    }

    private static async Task<(DagDefinition, string)> PrepareResumeAsync(CliContext context, IStateStore store, RunRequest request, string runId, CancellationToken cancellationToken)
    {
        var snapshot = await store.GetRunAsync(request.Dag?.Id, runId, cancellationToken).ConfigureAwait(false)
            ?? throw new CliException(ExitCodes.Failed, $"no run '{runId}' in {context.Database}", "list runs with 'weft runs list'");
        var dag = request.Dag ?? LoadDagOfRun(context, snapshot.Run);
        if (dag.Id != snapshot.Run.DagId)
        {
            throw CliException.Usage($"run '{runId}' belongs to DAG '{snapshot.Run.DagId}', not '{dag.Id}'");
        }

        return (dag, runId);
    }

    // The run remembers the file it was started from; a DAG registered from the DAGs folder is found by id.
    private static DagDefinition LoadDagOfRun(CliContext context, RunRecord run)
    {
        if (run.DagFile is not null && File.Exists(run.DagFile))
        {
            var result = DagLoader.LoadFile(run.DagFile);
            context.WriteDiagnostics(result.Diagnostics);
            return result.Dag ?? throw CliException.Reported(ExitCodes.Usage);
        }

        return DagTargets.Load(context, run.DagId);
    }
}
