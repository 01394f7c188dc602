using System.Text.Json;
using Microsoft.Extensions.Logging;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Core.Scheduling;
using Weft.Engine.Ownership;
using Weft.Engine.Runners;
using Weft.Engine.Secrets;
using Weft.Engine.Storage;

namespace Weft.Engine.Execution;

/// <summary>
/// The one way Weft executes work, in every process that does (<c>weft run</c>, <c>backfill</c>, <c>scheduler</c>,
/// <c>server</c>, a host app): this process registers as an owner with a lease it renews, claims runs under it, and
/// drives each claimed run with a <see cref="RunExecutor"/> whose writes are fenced by the claim. Runs share one
/// <see cref="SlotAllocator"/> (global parallelism, pools and priorities across runs), and a finished run's hook is
/// called here, once.
/// </summary>
internal sealed class Executor : IAsyncDisposable
{
    private static readonly TimeSpan SecretsFor = TimeSpan.FromSeconds(1);
    private readonly ExecutorSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RunExecutor _runs;
    private readonly ExecutorOptions _options;
    private readonly SemaphoreSlim _secretsLock = new(1, 1);
    private readonly RemoteAttempts _remote;
    private Workers.QueueWakeUps? _wakeUps;
    private (DateTimeOffset At, IReadOnlyDictionary<string, string> Values, SecretMasker Masker)? _secrets;

    private Executor(IStateStore store, ExecutorSettings settings, OwnerLease lease, IReadOnlyList<PoolRecord> pools, TimeProvider time, ILogger logger)
    {
        Store = store;
        _settings = settings;
        Lease = lease;
        _time = time;
        _logger = logger;
        Slots = new SlotAllocator(settings.Parallelism, pools.ToDictionary(p => p.Name, p => p.Slots, StringComparer.Ordinal));
        // Every executor can await workers' attempts (a run it claims may have some); the placement decides only new ones.
        _remote = new RemoteAttempts(store, time, logger, Workers.QueueWakeUps.Supported(store) ? TimeSpan.FromMilliseconds(250) : null);
        Runners = settings.Runners ?? TaskRunnerRegistry.CreateDefault();
        _options = new ExecutorOptions
        {
            Home = settings.Home,
            TasksDir = settings.TasksDir,
            Parallelism = settings.RunParallelism,
            Slots = Slots,
            WaitForDatabase = settings.WaitForDatabase,
            Secrets = name => _secrets is { } s && s.Values.TryGetValue(name, out var value) ? value : null,
            Masker = () => _secrets?.Masker ?? SecretMasker.None,
            QueueFor = (dag, task) => settings.LocalDags?.Invoke(dag.Id) == true ? null : TaskPlacements.QueueFor(settings.Placement, task),
            Remote = _remote,
        };
        _runs = new RunExecutor(store, _options, Runners, lease, time: time, logger: logger);
    }

    /// <summary>The database.</summary>
    public IStateStore Store { get; }

    /// <summary>This process's lease: its owner id, and whether it still holds.</summary>
    public OwnerLease Lease { get; }

    /// <summary>Whether the database takes writes.</summary>
    public StoreHealth Health => Lease.Health;

    /// <summary>How this process executes: home, tasks folder, secrets and their masker.</summary>
    internal ExecutorOptions Options => _options;

    /// <summary>The settings it was started with.</summary>
    internal ExecutorSettings Settings => _settings;

    /// <summary>The task runners (a worker runs its attempts with the same ones).</summary>
    internal TaskRunnerRegistry Runners { get; }

    /// <summary>Attempts handed to workers and awaited here.</summary>
    internal RemoteAttempts Remote => _remote;

    /// <summary>The slots every run of this process shares.</summary>
    public SlotAllocator Slots { get; }

    /// <summary>Registers this process as an owner and starts renewing its lease.</summary>
    public static async Task<Executor> StartAsync(IStateStore store, ExecutorSettings settings, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        HomeFolder.Ensure(settings.Home);
        var health = new StoreHealth(time);
        var lease = await OwnerLease.StartAsync(store, settings.Kind, settings.Lease, health, time, logger, cancellationToken, settings.Queues, settings.Name).ConfigureAwait(false);
        try
        {
            var pools = await store.ListPoolsAsync(cancellationToken).ConfigureAwait(false);
            var executor = new Executor(store, settings, lease, pools, time, logger);
            executor._wakeUps = await Workers.QueueWakeUps.StartAsync(store, notice =>
            {
                if (notice != QueueNotice.Queued)
                {
                    executor._remote.Nudge();
                }
            }, logger, cancellationToken).ConfigureAwait(false);
            return executor;
        }
        catch
        {
            await lease.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates a manual run of <paramref name="dag"/> claimed by this process from its first instant.</summary>
    public async Task<ClaimedRun> CreateManualRunAsync(DagDefinition dag, IReadOnlyDictionary<string, JsonElement>? conf, string? dagFile, CancellationToken cancellationToken)
    {
        var effective = RunFactory.EffectiveParams(dag, conf);
        var now = _time.GetUtcNow();
        for (var attempt = 0; ; attempt++)
        {
            // Two manual runs in the same millisecond would share an id; the later one moves on by a millisecond.
            var at = now.AddMilliseconds(attempt);
            var run = RunFactory.NewRun(dag, RunIds.Manual(at), "manual", at, at, at, effective, dagFile, now);
            var tasks = RunFactory.NewTaskInstances(dag, run.RunId);
            try
            {
                var claim = await Store.CreateClaimedRunAsync(run, tasks, Lease.OwnerId, cancellationToken).ConfigureAwait(false);
                return new ClaimedRun(claim, new RunSnapshot(run with { Owner = claim.Owner }, tasks));
            }
            catch (DuplicateRunException) when (attempt < 50)
            {
            }
        }
    }

    /// <summary>
    /// Claims a stored run for this process: when its owner is a process of this machine that is gone, its lease is
    /// ended first, so <c>weft run --resume</c> after a crash need not wait for it. Null when a live owner holds it or
    /// the run is finished.
    /// </summary>
    public async Task<ClaimedRun?> ClaimAsync(string dagId, string runId, CancellationToken cancellationToken)
    {
        await ExpireDeadLocalOwnersAsync(cancellationToken).ConfigureAwait(false);
        return await Store.ClaimRunAsync(dagId, runId, Lease.OwnerId, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends the lease of every owner registered on this machine whose process is gone (killed, crashed): what it held
    /// becomes claimable at once instead of when its lease runs out. Returns the owners still live.
    /// </summary>
    public async Task<IReadOnlyList<OwnerRecord>> ExpireDeadLocalOwnersAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var owners = await Store.ListOwnersAsync(cancellationToken).ConfigureAwait(false);
        var live = new List<OwnerRecord>(owners.Count);
        foreach (var owner in owners)
        {
            if (owner.LeaseExpiresAt <= now)
            {
                continue;
            }

            if (owner.Host == LocalProcesses.Host && owner.Pid != Environment.ProcessId && !LocalProcesses.IsAlive(owner.Pid, owner.ProcessStart))
            {
                _logger.LogInformation("Owner {Owner} (pid {Pid}) is gone; its work is taken up again", owner.OwnerId, owner.Pid);
                await Store.ExpireOwnerAsync(owner.OwnerId, cancellationToken).ConfigureAwait(false);
                continue;
            }

            live.Add(owner);
        }

        return live;
    }

    /// <summary>Reads the pools' sizes again (they may have been changed by <c>weft pools set</c>).</summary>
    public async Task RefreshPoolsAsync(CancellationToken cancellationToken)
    {
        var pools = await Store.ListPoolsAsync(cancellationToken).ConfigureAwait(false);
        Slots.SetPoolSizes(pools.ToDictionary(p => p.Name, p => p.Slots, StringComparer.Ordinal));
    }

    /// <summary>
    /// Executes a claimed run to its end and calls its hook. When an operator action elsewhere preempts the claim,
    /// the run's loop claims it again as it now is and goes on (stopping only the attempts the change concerns).
    /// Cancelling interrupts the run: it stays resumable and its claim is released.
    /// </summary>
    /// <exception cref="ClaimLostException">Another live owner took the run over.</exception>
    /// <exception cref="OwnerFencedException">This process's lease could not be renewed in time.</exception>
    public async Task<RunSnapshot> ExecuteAsync(DagDefinition dag, ClaimedRun claimed, IRunObserver? observer, CancellationToken cancellationToken)
    {
        await LoadSecretsAsync(cancellationToken).ConfigureAwait(false);
        RunSnapshot result;
        try
        {
            // A run changed elsewhere is claimed again by its own loop (it keeps what still holds); what reaches here
            // is a run that could not be claimed again.
            result = await _runs.ExecuteAsync(dag, claimed, observer, cancellationToken).ConfigureAwait(false);
        }
        catch (ClaimLostException lost)
        {
            if (await Store.GetRunAsync(lost.Claim.DagId, lost.Claim.RunId, CancellationToken.None).ConfigureAwait(false) is { } now
                && now.Run.State is RunState.Success or RunState.Failed)
            {
                // Finished elsewhere (an operator marked it) while it ran here: that is its result.
                return now;
            }

            throw;
        }

        if (result.Run.State is RunState.Success or RunState.Failed)
        {
            await RunHooks.InvokeAsync(dag, result, _logger, CancellationToken.None).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>Passes what the database says of the runs' claims to the runs executing here (see <see cref="RunExecutor.NoticeClaims"/>).</summary>
    public void NoticeClaims(IReadOnlyCollection<RunRecord> activeRuns) => _runs.NoticeClaims(activeRuns);

    /// <summary>The secret store's values, for <c>${{ secrets.NAME }}</c>; read at most once a second, decrypted only when there are any.</summary>
    internal async Task LoadSecretsAsync(CancellationToken cancellationToken)
    {
        if (Store is not IAccessStore access || _secrets is { } fresh && _time.GetUtcNow() - fresh.At < SecretsFor)
        {
            return;
        }

        await _secretsLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_secrets is { } read && _time.GetUtcNow() - read.At < SecretsFor)
            {
                // Read by whoever held the lock before: 1,000 runs starting at once read the secrets once, not in turn.
                return;
            }

            var records = await access.ListSecretsAsync(cancellationToken).ConfigureAwait(false);
            IReadOnlyDictionary<string, string> values = records.Count == 0
                ? new Dictionary<string, string>()
                : await (await SecretVault.OpenAsync(access, _settings.Home, cancellationToken).ConfigureAwait(false)).LoadAllAsync(cancellationToken).ConfigureAwait(false);
            _secrets = (_time.GetUtcNow(), values, values.Count == 0 ? SecretMasker.None : new SecretMasker(values.Values));
        }
        finally
        {
            _secretsLock.Release();
        }
    }

    /// <summary>Stops renewing the lease and removes this owner (what it still holds becomes claimable).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_wakeUps is not null)
        {
            await _wakeUps.DisposeAsync().ConfigureAwait(false);
        }

        await _remote.DisposeAsync().ConfigureAwait(false);
        await Lease.DisposeAsync().ConfigureAwait(false);
    }
}
