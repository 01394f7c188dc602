using System.Collections.Immutable;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Storage;

namespace Weft.Engine.Execution;

/// <summary>
/// The executor's in-memory copy of one run. Only the executor loop touches it; rows it changes are marked
/// dirty and written in the next batch, so a task that goes none → running → success between two commits
/// costs one row write.
/// </summary>
internal sealed class LiveRun
{
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private bool _runDirty;

    public LiveRun(DagDefinition dag, RunSnapshot snapshot)
    {
        Dag = dag;
        Run = snapshot.Run;
        Tasks = dag.Tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
        Order = dag.Tasks.Select((t, i) => (t.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        Instances = new Dictionary<string, TaskInstanceRecord>(snapshot.Tasks.Count, StringComparer.Ordinal);
        var states = ImmutableDictionary.CreateBuilder<string, TaskState>(StringComparer.Ordinal);
        var outputs = ImmutableDictionary.CreateBuilder<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var ti in snapshot.Tasks)
        {
            Instances[ti.TaskId] = ti;
            states[ti.TaskId] = ti.State;
            if (ti.Outputs.Count > 0)
            {
                outputs[ti.TaskId] = ti.Outputs;
            }
        }

        States = states.ToImmutable();
        Outputs = outputs.ToImmutable();
    }

    public DagDefinition Dag { get; }

    public RunRecord Run { get; private set; }

    public Dictionary<string, TaskDefinition> Tasks { get; }

    /// <summary>File order of each task, the tie-breaker after priority.</summary>
    public Dictionary<string, int> Order { get; }

    public Dictionary<string, TaskInstanceRecord> Instances { get; }

    /// <summary>Immutable views handed to attempts running on other threads.</summary>
    public ImmutableDictionary<string, TaskState> States { get; private set; }

    public ImmutableDictionary<string, IReadOnlyDictionary<string, string>> Outputs { get; private set; }

    public void Update(TaskInstanceRecord instance)
    {
        var old = Instances[instance.TaskId];
        Instances[instance.TaskId] = instance;
        _dirty.Add(instance.TaskId);
        if (old.State != instance.State)
        {
            States = States.SetItem(instance.TaskId, instance.State);
        }

        if (instance.Outputs.Count > 0 && !ReferenceEquals(old.Outputs, instance.Outputs))
        {
            Outputs = Outputs.SetItem(instance.TaskId, instance.Outputs);
        }
    }

    /// <summary>Adds the task instance of a task the run did not have (the DAG gained it); written with the next batch.</summary>
    public void Add(TaskInstanceRecord instance)
    {
        Instances[instance.TaskId] = instance;
        States = States.SetItem(instance.TaskId, instance.State);
        _dirty.Add(instance.TaskId);
    }

    public void UpdateRun(RunRecord run)
    {
        Run = run;
        _runDirty = true;
    }

    /// <summary>Moves every pending change into the batch.</summary>
    public void Flush(StateBatch batch)
    {
        if (_runDirty)
        {
            batch.Runs.Add(Run);
            _runDirty = false;
        }

        foreach (var id in _dirty)
        {
            batch.TaskInstances.Add(Instances[id]);
        }

        _dirty.Clear();
    }

    public RunSnapshot Snapshot() =>
        new(Run, Dag.Tasks.Select(t => Instances[t.Id]).ToList());
}
