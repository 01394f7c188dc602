using System.Threading.Channels;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using Weft.Server.Api.Models;

namespace Weft.Server.Events;

/// <summary>
/// Run and task state changes for the subscribers of <c>/api/v1/events/stream</c>. Two sources feed it: this process's
/// executor as it decides (at once), and <see cref="StoreChangePoller"/> reading the database (what other processes
/// and operator actions wrote, within a second). The hub remembers the last state it told of each run and task, so a
/// change heard from both is sent once. With no subscriber nothing is remembered and nothing polled.
/// </summary>
internal sealed class EventHub(TimeProvider time)
{
    /// <summary>A slow subscriber loses its oldest events rather than holding memory; the UI reloads when it reconnects.</summary>
    private const int SubscriberBuffer = 4096;

    private readonly Lock _lock = new();
    private readonly List<Subscription> _subscribers = [];
    private readonly Dictionary<(string DagId, string RunId), RunEntry> _known = [];

    /// <summary>
    /// The executor tells a change a moment before its batch is written: for that long the poller could read the state
    /// before it and tell it again as a step back. Runs the executor spoke of this recently are left to it.
    /// </summary>
    private static readonly TimeSpan LocalQuiet = TimeSpan.FromSeconds(3);

    /// <summary>
    /// True once the poller has recorded the database as it was when the first subscriber came; until then what it
    /// reads is recorded, not told (the executor's own changes are told at once).
    /// </summary>
    public bool Primed { get; private set; }

    /// <summary>True while someone listens.</summary>
    public bool HasSubscribers
    {
        get
        {
            lock (_lock)
            {
                return _subscribers.Count > 0;
            }
        }
    }

    /// <summary>Starts listening to the changes of one DAG and/or run (null: all).</summary>
    public Subscription Subscribe(string? dagId, string? runId)
    {
        var subscription = new Subscription(this, dagId, runId);
        lock (_lock)
        {
            _subscribers.Add(subscription);
        }

        return subscription;
    }

    /// <summary>A run's state as this process's executor decided it.</summary>
    public void RunDecided(RunRecord run) => Run(run, quiet: false, local: true);

    /// <summary>A task instance's state as this process's executor decided it.</summary>
    public void TaskDecided(TaskInstanceRecord task) => Task(task, quiet: false, local: true);

    /// <summary>A run's state as the database says it now is (<paramref name="quiet"/>: record it without telling).</summary>
    public void Run(RunRecord run, bool quiet = false, bool local = false)
    {
        lock (_lock)
        {
            if (_subscribers.Count == 0)
            {
                return;
            }

            var key = (run.DagId, run.RunId);
            if (!_known.TryGetValue(key, out var entry))
            {
                entry = _known[key] = new RunEntry();
            }

            if (local)
            {
                entry.LocalAt = time.GetUtcNow();
            }
            else if (IsLocal(entry))
            {
                return;
            }

            if (entry.State == run.State)
            {
                return;
            }

            entry.State = run.State;
            if (!quiet)
            {
                Send(new LifecycleEventResponse("run", run.DagId, run.RunId, null, run.State.ToName(), null, run.StartDate, run.EndDate, time.GetUtcNow()));
            }
        }
    }

    /// <summary>A task instance's state as the database says it now is (<paramref name="quiet"/>: record it without telling).</summary>
    public void Task(TaskInstanceRecord task, bool quiet = false, bool local = false)
    {
        lock (_lock)
        {
            if (_subscribers.Count == 0)
            {
                return;
            }

            var key = (task.DagId, task.RunId);
            if (!_known.TryGetValue(key, out var entry))
            {
                entry = _known[key] = new RunEntry();
            }

            if (local)
            {
                entry.LocalAt = time.GetUtcNow();
            }
            else if (IsLocal(entry))
            {
                return;
            }

            if (entry.Tasks.TryGetValue(task.TaskId, out var seen) && seen == (task.State, task.TryNumber))
            {
                return;
            }

            entry.Tasks[task.TaskId] = (task.State, task.TryNumber);
            if (!quiet)
            {
                Send(new LifecycleEventResponse(
                    "task", task.DagId, task.RunId, task.TaskId, task.State.ToName(), task.TryNumber, task.StartDate, task.EndDate, time.GetUtcNow()));
            }
        }
    }

    /// <summary>The run's state as last told, or null.</summary>
    public RunState? StateOf(string dagId, string runId)
    {
        lock (_lock)
        {
            return _known.TryGetValue((dagId, runId), out var entry) ? entry.State : null;
        }
    }

    /// <summary>Whether the hub has heard of this run already (the poller reads the tasks of new runs silently).</summary>
    public bool Knows(string dagId, string runId)
    {
        lock (_lock)
        {
            return _known.ContainsKey((dagId, runId));
        }
    }

    /// <summary>Called by the poller after its first pass; until then changes are recorded, not sent.</summary>
    public void MarkPrimed()
    {
        lock (_lock)
        {
            Primed = _subscribers.Count > 0;
        }
    }

    /// <summary>Forgets runs that are finished and no longer among those the poller looks at.</summary>
    public void Forget(IReadOnlySet<(string DagId, string RunId)> keep)
    {
        lock (_lock)
        {
            foreach (var key in _known.Where(p => p.Value.State is RunState.Success or RunState.Failed && !keep.Contains(p.Key)).Select(p => p.Key).ToList())
            {
                _known.Remove(key);
            }
        }
    }

    private bool IsLocal(RunEntry entry) => entry.LocalAt is { } at && time.GetUtcNow() - at < LocalQuiet;

    private void Send(LifecycleEventResponse change)
    {
        foreach (var s in _subscribers)
        {
            if ((s.DagId is null || s.DagId == change.DagId) && (s.RunId is null || s.RunId == change.RunId))
            {
                s.Writer.TryWrite(change);
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_lock)
        {
            _subscribers.Remove(subscription);
            if (_subscribers.Count == 0)
            {
                // Nobody listens: what was remembered goes stale, so the next subscriber starts from a fresh read.
                _known.Clear();
                Primed = false;
            }
        }
    }

    private sealed class RunEntry
    {
        public RunState? State { get; set; }

        public DateTimeOffset? LocalAt { get; set; }

        public Dictionary<string, (TaskState State, int Try)> Tasks { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>One listener: read <see cref="Reader"/>, dispose to stop.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly EventHub _hub;
        private readonly Channel<LifecycleEventResponse> _channel = Channel.CreateBounded<LifecycleEventResponse>(
            new BoundedChannelOptions(SubscriberBuffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        internal Subscription(EventHub hub, string? dagId, string? runId)
        {
            _hub = hub;
            DagId = dagId;
            RunId = runId;
        }

        public string? DagId { get; }

        public string? RunId { get; }

        public ChannelReader<LifecycleEventResponse> Reader => _channel.Reader;

        internal ChannelWriter<LifecycleEventResponse> Writer => _channel.Writer;

        public void Dispose()
        {
            _hub.Remove(this);
            _channel.Writer.TryComplete();
        }
    }
}
