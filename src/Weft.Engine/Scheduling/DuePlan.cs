using Weft.Engine.Storage;

namespace Weft.Engine.Scheduling;

/// <summary>
/// What one scheduler pass plans: the runs to create (written together), and per DAG what to remember once
/// they are written. Nothing is remembered when the write fails, so the next pass plans the same runs again.
/// </summary>
internal sealed class DuePlan
{
    private readonly Dictionary<string, int> _active = new(StringComparer.Ordinal);

    /// <param name="active">The runs queued or running, of every DAG.</param>
    public DuePlan(IReadOnlyList<RunRecord> active)
    {
        foreach (var run in active)
        {
            _active[run.DagId] = _active.GetValueOrDefault(run.DagId) + 1;
        }
    }

    /// <summary>The runs to create, in the order they are to start.</summary>
    public List<NewRun> Runs { get; } = [];

    /// <summary>Per DAG, the logical date of its newest planned run.</summary>
    public Dictionary<string, DateTimeOffset> LastLogicalDates { get; } = new(StringComparer.Ordinal);

    /// <summary>Per DAG, the instant before which nothing more of it can fall due (absent: plan it again next pass).</summary>
    public Dictionary<string, DateTimeOffset> NextDue { get; } = new(StringComparer.Ordinal);

    /// <summary>DAGs with runs that wait for one of their runs to end (<c>max_active_runs</c>).</summary>
    public HashSet<string> Waiting { get; } = new(StringComparer.Ordinal);

    /// <summary>True when no run is planned.</summary>
    public bool IsEmpty => Runs.Count == 0 && LastLogicalDates.Count == 0 && NextDue.Count == 0;

    /// <summary>Forgets the runs planned (once written) and what was to be remembered of them; keeps <see cref="Waiting"/>.</summary>
    public void Clear()
    {
        Runs.Clear();
        LastLogicalDates.Clear();
        NextDue.Clear();
    }

    /// <summary>The DAG's runs queued or running when the pass began.</summary>
    public int ActiveRuns(string dagId) => _active.GetValueOrDefault(dagId);
}
