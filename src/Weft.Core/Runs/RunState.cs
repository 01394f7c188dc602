namespace Weft.Core.Runs;

/// <summary>The state of a DAG run.</summary>
public enum RunState
{
    /// <summary>Created, not started.</summary>
    Queued,
    /// <summary>Tasks are being run.</summary>
    Running,
    /// <summary>Every task done and no leaf failed.</summary>
    Success,
    /// <summary>A leaf task failed or was upstream_failed, or a critical task failed.</summary>
    Failed,
}
