using Weft.Core.Dags;
using Weft.Core.Scheduling;
using Weft.Engine.Storage;

namespace Weft.Engine.Scheduling;

/// <summary>
/// A DAG's due runs planned before they fall due, with their rows: what <see cref="RunPlanner.DueRuns"/> gives
/// at <paramref name="DueAt"/>, which is also what it gives at any instant before <paramref name="NextAfter"/>.
/// </summary>
/// <param name="Dag">The version planned; another version (the file changed) plans again.</param>
/// <param name="Last">The logical date of the DAG's newest scheduled run when planned.</param>
/// <param name="DueAt">When the runs fall due.</param>
/// <param name="NextAfter">When the DAG's next run falls due after them.</param>
internal sealed record PreparedRuns(
    DagDefinition Dag, DateTimeOffset? Last, DateTimeOffset DueAt, DateTimeOffset NextAfter, IReadOnlyList<PlannedRun> Due, IReadOnlyList<NewRun> Rows)
{
    /// <summary>True when the plan is the one <see cref="RunPlanner.DueRuns"/> would make now.</summary>
    public bool Fits(DagDefinition dag, DateTimeOffset? last, DateTimeOffset now) =>
        ReferenceEquals(dag, Dag) && last == Last && DueAt <= now && now < NextAfter;
}
