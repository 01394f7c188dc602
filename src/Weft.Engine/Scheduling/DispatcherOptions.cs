using Weft.Core.Dags;
using Weft.Engine.Execution;
using Weft.Engine.Storage;

namespace Weft.Engine.Scheduling;

/// <summary>How the dispatcher picks up runs.</summary>
internal sealed class DispatcherOptions
{
    /// <summary>Runs executed at once by this process.</summary>
    public int MaxActiveRuns { get; init; } = 32;

    /// <summary>How often the database is looked at for runs to take up (triggered elsewhere, or left by a dead owner).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Makes an observer for a run about to execute (metrics, progress); null for none.</summary>
    public Func<DagDefinition, RunSnapshot, IRunObserver?>? Observers { get; init; }
}
