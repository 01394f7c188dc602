using Weft.Core.Dags;

namespace Weft.Core.Runs;

/// <summary>
/// The pure, incremental decision maker for one run: which tasks are ready, which are skipped or
/// upstream_failed, and how the run ends. It keeps per-task upstream counters, so a finished task
/// costs only its direct downstreams plus whatever its outcome cascades to: O(edges) for a whole run.
/// Not thread-safe; the engine serialises calls per run.
/// </summary>
internal sealed partial class RunCoordinator
{
    private readonly RunGraph _graph;
    private readonly TaskState[] _states;
    private readonly UpstreamCounts[] _counts;
    private readonly Stack<(int Task, TaskState Previous)> _pending = new();
    private int _finished;
    private int _failedLeaves;
    private int _failedCritical;
    private bool _failedFast;

    /// <summary>
    /// Builds the coordinator from the current state of every task (a new run, or a resumed or cleared one).
    /// A task missing from <paramref name="states"/> is <see cref="TaskState.None"/>; ids the DAG does not have are ignored.
    /// </summary>
    public RunCoordinator(DagDefinition dag, IReadOnlyDictionary<string, TaskState> states)
    {
        _graph = new RunGraph(dag);
        _states = new TaskState[_graph.Count];
        _counts = new UpstreamCounts[_graph.Count];
        for (var i = 0; i < _graph.Count; i++)
        {
            _counts[i] = new UpstreamCounts(_graph.UpstreamCount(i), 0, 0, 0, 0);
        }
        for (var i = 0; i < _graph.Count; i++)
        {
            if (states.TryGetValue(_graph.Task(i).Id, out var state) && state != TaskState.None)
            {
                Apply(i, state);
                Recount(i, TaskState.None);
            }
        }
    }

    /// <summary>True when every task has finished (success, failed, skipped or upstream_failed).</summary>
    public bool IsComplete => _finished == _graph.Count;

    /// <summary>True once <see cref="FailFast"/> was called.</summary>
    public bool HasFailedFast => _failedFast;

    /// <summary>
    /// Null until the run is complete or failed fast. Then <see cref="RunState.Failed"/> when it failed fast,
    /// a leaf task (no downstream) ended failed or upstream_failed, or a critical task failed; else <see cref="RunState.Success"/>.
    /// </summary>
    public RunState? FinalState =>
        _failedFast ? RunState.Failed
        : !IsComplete ? null
        : _failedLeaves > 0 || _failedCritical > 0 ? RunState.Failed
        : RunState.Success;

    /// <summary>The current state of a task.</summary>
    /// <exception cref="ArgumentException">The DAG has no such task.</exception>
    public TaskState StateOf(string taskId) => _states[_graph.IndexOf(taskId)];

    /// <summary>The ids of the tasks now in <paramref name="state"/>, in DAG order (a scan of every task).</summary>
    public IReadOnlyList<string> TasksIn(TaskState state)
    {
        var ids = new List<string>();
        for (var i = 0; i < _states.Length; i++)
        {
            if (_states[i] == state)
            {
                ids.Add(_graph.Task(i).Id);
            }
        }
        return ids;
    }

    /// <summary>
    /// Evaluates the trigger rule of every <see cref="TaskState.None"/> task and cascades the outcome.
    /// Returns the transitions: to <see cref="TaskState.Scheduled"/> (ready to run), <see cref="TaskState.Skipped"/>
    /// or <see cref="TaskState.UpstreamFailed"/>. Tasks already past none are left as they are.
    /// </summary>
    public IReadOnlyList<TaskTransition> Start()
    {
        var transitions = new List<TaskTransition>();
        for (var i = 0; i < _graph.Count; i++)
        {
            if (_states[i] == TaskState.None)
            {
                Decide(i, transitions);
                Drain(transitions);
            }
        }
        return transitions;
    }

    /// <summary>
    /// A task reached a finished state (success, failed, skipped, upstream_failed; also an operator's mark).
    /// Returns the transitions of downstream tasks this causes, cascading; not the task's own.
    /// Reporting the state a task already has changes nothing.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="finalState"/> is not a finished state, or the task is unknown.</exception>
    /// <exception cref="InvalidOperationException">The state machine does not allow the transition.</exception>
    public IReadOnlyList<TaskTransition> Finish(string taskId, TaskState finalState)
    {
        if (!finalState.IsFinished())
        {
            throw new ArgumentException($"'{finalState.ToName()}' is not a finished state.", nameof(finalState));
        }
        var i = _graph.IndexOf(taskId);
        var from = _states[i];
        if (from == finalState)
        {
            return [];
        }
        Move(i, finalState);
        var transitions = new List<TaskTransition>();
        _pending.Push((i, from));
        Drain(transitions);
        return transitions;
    }

    /// <summary>
    /// A critical task failed: it is finished as failed (if it is not already), and every task not yet
    /// finished and not running becomes skipped, its own downstreams included. Running tasks are left
    /// for the engine to stop and finish. From now on <see cref="FinalState"/> is <see cref="RunState.Failed"/>.
    /// Returns every transition made, the failed task's own included when it was not failed yet.
    /// </summary>
    public IReadOnlyList<TaskTransition> FailFast(string criticalTaskId)
    {
        var transitions = new List<TaskTransition>();
        var critical = _graph.IndexOf(criticalTaskId);
        var from = _states[critical];
        if (from != TaskState.Failed)
        {
            Move(critical, TaskState.Failed);
            transitions.Add(new TaskTransition(criticalTaskId, from, TaskState.Failed, "critical task failed"));
            Recount(critical, from);
        }

        _failedFast = true;
        var reason = $"fail-fast: critical task '{criticalTaskId}' failed";
        for (var i = 0; i < _graph.Count; i++)
        {
            var state = _states[i];
            if (state is TaskState.None or TaskState.Scheduled or TaskState.Queued or TaskState.UpForRetry)
            {
                Apply(i, TaskState.Skipped);
                transitions.Add(new TaskTransition(_graph.Task(i).Id, state, TaskState.Skipped, reason));
                Recount(i, state);
            }
        }
        return transitions;
    }

    /// <summary>An attempt is handed to an executor: scheduled or up_for_retry becomes queued.</summary>
    /// <exception cref="InvalidOperationException">The state machine does not allow the transition.</exception>
    public void MarkQueued(string taskId) => Move(_graph.IndexOf(taskId), TaskState.Queued);

    /// <summary>An attempt starts; from scheduled or up_for_retry the task passes through queued.</summary>
    /// <exception cref="InvalidOperationException">The state machine does not allow the transition.</exception>
    public void MarkRunning(string taskId)
    {
        var i = _graph.IndexOf(taskId);
        if (_states[i] is TaskState.Scheduled or TaskState.UpForRetry)
        {
            Move(i, TaskState.Queued);
        }
        Move(i, TaskState.Running);
    }

    /// <summary>An attempt failed and another is due later: running becomes up_for_retry. Refused after fail-fast.</summary>
    /// <exception cref="InvalidOperationException">The state machine does not allow it, or the run failed fast.</exception>
    public void MarkUpForRetry(string taskId)
    {
        if (_failedFast)
        {
            throw new InvalidOperationException($"The run failed fast; task '{taskId}' is not retried and must be finished.");
        }
        Move(_graph.IndexOf(taskId), TaskState.UpForRetry);
    }
}
