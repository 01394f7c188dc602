namespace Weft.Engine.Operations;

/// <summary>The event kinds operator actions append (one name per action, whichever front end asked), so the audit trail can be filtered by action.</summary>
internal static class OperatorEvents
{
    /// <summary>A manual run was created.</summary>
    public const string Triggered = "triggered";

    /// <summary>Task instances were cleared to run again.</summary>
    public const string Cleared = "cleared";

    /// <summary>A task instance was marked success or failed by hand.</summary>
    public const string TaskMarked = "task_marked";

    /// <summary>A run was marked success, failed or queued by hand.</summary>
    public const string RunMarked = "run_marked";

    /// <summary>A DAG was paused.</summary>
    public const string Paused = "dag_paused";

    /// <summary>A DAG was unpaused.</summary>
    public const string Unpaused = "dag_unpaused";

    /// <summary>A DAG was uploaded through the API, or replaced.</summary>
    public const string DagUploaded = "dag_uploaded";

    /// <summary>An uploaded DAG was deleted.</summary>
    public const string DagDeleted = "dag_deleted";

    /// <summary>A task instance was replayed from the dead letters (cleared with its downstream).</summary>
    public const string Replayed = "replayed";

    /// <summary>A pool was created or resized.</summary>
    public const string PoolSet = "pool_set";
}
