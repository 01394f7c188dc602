using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using Weft.Core.Runs;
using Weft.Engine.Operations;
using Weft.Engine.Storage;
using Weft.Hosting;

namespace Weft.Client;

/// <summary>
/// <see cref="IWeftClient"/> over the engine's <see cref="OperatorActions"/>: the same trigger as <c>weft trigger</c>
/// and the API, with the host's C# definition for a DAG it registered.
/// </summary>
internal sealed class WeftClient(WeftRuntime runtime, WeftStore stores, WeftDags dags, IOptions<WeftOptions> options, TimeProvider time) : IWeftClient
{
    // Manual run ids are timestamps, so two DAGs can share one: remember whose run each id given out is.
    private readonly ConcurrentDictionary<string, string> _dagOfRun = new(StringComparer.Ordinal);

    public async Task<string> TriggerAsync(string dagId, IDictionary<string, object?>? parameters = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dagId);
        await runtime.StartAsync(cancellationToken).ConfigureAwait(false);
        var store = await stores.GetAsync(cancellationToken).ConfigureAwait(false);
        var actions = new OperatorActions(store, time);
        var request = new TriggerRequest(dagId, ParamValues.ToJson(parameters));
        RunSnapshot run;
        try
        {
            run = dags.Find(dagId) is { } dag
                ? await actions.CreateRunAsync(dag, request, dagFile: null, actor: null, cancellationToken).ConfigureAwait(false)
                : await actions.TriggerAsync(request, actor: null, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationException ex)
        {
            throw new InvalidOperationException(ex.Message, ex);
        }

        _dagOfRun[run.Run.RunId] = dagId;
        runtime.Nudge();
        return run.Run.RunId;
    }

    public async Task<RunResult> WaitAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        var store = await stores.GetAsync(cancellationToken).ConfigureAwait(false);
        var dagId = _dagOfRun.GetValueOrDefault(runId);
        while (true)
        {
            var snapshot = await store.GetRunAsync(dagId, runId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"no run '{runId}'");
            if (snapshot.Run.State is RunState.Success or RunState.Failed)
            {
                _dagOfRun.TryRemove(runId, out _);
                return ToResult(snapshot);
            }

            await Task.Delay(options.Value.WaitPollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<RunResult> RunAsync(string dagId, IDictionary<string, object?>? parameters = null, CancellationToken cancellationToken = default) =>
        await WaitAsync(await TriggerAsync(dagId, parameters, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    private static RunResult ToResult(RunSnapshot snapshot)
    {
        var tasks = snapshot.Tasks.ToImmutableSortedDictionary(
            t => t.TaskId,
            t => new TaskRunResult(t.TaskId, t.State.ToName(), t.TryNumber, t.ExitCode, t.Reason, t.Outputs ?? ImmutableDictionary<string, string>.Empty),
            StringComparer.Ordinal);
        var run = snapshot.Run;
        return new RunResult(run.DagId, run.RunId, run.State.ToName(), run.StartDate, run.EndDate, tasks);
    }
}
