namespace Weft.Engine.Scheduling;

/// <summary>A task that was not done <paramref name="Sla"/> after its run started.</summary>
internal sealed record SlaMiss(string DagId, string RunId, string TaskId, TimeSpan Sla, DateTimeOffset Deadline, string Message)
{
    /// <summary>The event kind SLA misses are recorded under.</summary>
    public const string EventKind = "sla_miss";
}
