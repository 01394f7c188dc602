using Weft.Core.Runs;
using Weft.Core.Scheduling;

namespace Weft.Engine.Scheduling;

/// <summary>What a backfill did with one interval.</summary>
internal enum BackfillAction
{
    /// <summary>A new run was created and executed.</summary>
    Created,

    /// <summary>A failed run was cleared and executed again (<c>--rerun-failed</c>).</summary>
    Rerun,

    /// <summary>A queued run of an earlier backfill was executed.</summary>
    Resumed,

    /// <summary>The interval already has a run that was left as it is.</summary>
    Kept,
}

/// <summary>One interval of a backfill: its run, what was done, and the run's state at the end.</summary>
internal sealed record BackfillOutcome(PlannedRun Planned, string RunId, BackfillAction Action, RunState State, string? Note = null);
