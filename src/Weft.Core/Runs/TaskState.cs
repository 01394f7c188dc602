namespace Weft.Core.Runs;

/// <summary>The state of a task instance (the contract's section 2).</summary>
public enum TaskState
{
    /// <summary>Not yet considered.</summary>
    None,
    /// <summary>Its trigger rule is met; waiting for a slot.</summary>
    Scheduled,
    /// <summary>Handed to an executor or queue.</summary>
    Queued,
    /// <summary>An attempt is running.</summary>
    Running,
    /// <summary>Finished successfully.</summary>
    Success,
    /// <summary>Finished with an error and no retries left.</summary>
    Failed,
    /// <summary>Failed; another attempt is due later.</summary>
    UpForRetry,
    /// <summary>Will not run because upstream tasks failed.</summary>
    UpstreamFailed,
    /// <summary>Will not run (or asked to be skipped).</summary>
    Skipped,
}
