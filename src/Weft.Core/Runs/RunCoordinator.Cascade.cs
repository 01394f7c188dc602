namespace Weft.Core.Runs;

/// <summary>The cascade: counters of downstream tasks, trigger-rule decisions, and run bookkeeping.</summary>
internal sealed partial class RunCoordinator
{
    // Evaluates one none task; a finished decision is queued so its own downstreams are updated.
    private void Decide(int index, List<TaskTransition> transitions)
    {
        var rule = _graph.Task(index).TriggerRule;
        var counts = _counts[index];
        var decision = TriggerRuleEvaluator.Evaluate(rule, counts);
        var to = decision switch
        {
            TriggerDecision.Run => TaskState.Scheduled,
            TriggerDecision.Skip => TaskState.Skipped,
            TriggerDecision.UpstreamFailed => TaskState.UpstreamFailed,
            _ => TaskState.None,
        };
        if (to == TaskState.None)
        {
            return;
        }
        Apply(index, to);
        transitions.Add(new TaskTransition(_graph.Task(index).Id, TaskState.None, to, $"{rule.ToName()}: {counts}"));
        if (to.IsFinished())
        {
            _pending.Push((index, TaskState.None));
        }
    }

    // Moves every pending task's change into its downstreams' counters, deciding the ones still in none.
    // An explicit stack rather than recursion: a chain of thousands of skips must not overflow.
    private void Drain(List<TaskTransition> transitions)
    {
        while (_pending.TryPop(out var item))
        {
            var now = _states[item.Task];
            foreach (var d in _graph.Downstream(item.Task))
            {
                _counts[d] = _counts[d].With(item.Previous, -1).With(now, +1);
                if (_states[d] == TaskState.None)
                {
                    Decide(d, transitions);
                }
            }
        }
    }

    // Keeps downstream counters true without deciding anything: a fail-fast run leaves no task in none to decide.
    private void Recount(int index, TaskState previous)
    {
        var now = _states[index];
        foreach (var d in _graph.Downstream(index))
        {
            _counts[d] = _counts[d].With(previous, -1).With(now, +1);
        }
    }

    // A transition asked for from outside: checked against the state machine.
    private void Move(int index, TaskState to)
    {
        var from = _states[index];
        if (!TaskStateMachine.CanTransition(from, to))
        {
            throw new InvalidOperationException(
                $"Task '{_graph.Task(index).Id}' cannot go from {from.ToName()} to {to.ToName()}.");
        }
        Apply(index, to);
    }

    private void Apply(int index, TaskState to)
    {
        Track(index, _states[index], -1);
        Track(index, to, +1);
        _states[index] = to;
    }

    // Keeps the run-level tallies O(1) per change, so IsComplete and FinalState need no scan.
    private void Track(int index, TaskState state, int delta)
    {
        if (state.IsFinished())
        {
            _finished += delta;
        }
        if (state is TaskState.Failed or TaskState.UpstreamFailed && _graph.IsLeaf(index))
        {
            _failedLeaves += delta;
        }
        if (state == TaskState.Failed && _graph.Task(index).Critical)
        {
            _failedCritical += delta;
        }
    }
}
