namespace Weft.Engine.Operations;

/// <summary>The event kinds operator actions append, so the audit trail can be filtered by action.</summary>
internal static class OperatorEvents
{
    /// <summary>Task instances were cleared to run again.</summary>
    public const string Cleared = "cleared";

    /// <summary>A task instance was marked success or failed by hand.</summary>
    public const string Marked = "marked";

    /// <summary>A DAG was paused.</summary>
    public const string Paused = "paused";

    /// <summary>A DAG was unpaused.</summary>
    public const string Unpaused = "unpaused";

    /// <summary>A pool was created or resized.</summary>
    public const string PoolSet = "pool_set";
}
