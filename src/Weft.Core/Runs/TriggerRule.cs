namespace Weft.Core.Runs;

/// <summary>When a task may run, given the states of its upstream tasks (Airflow's rules).</summary>
public enum TriggerRule
{
    /// <summary>Every upstream succeeded.</summary>
    AllSuccess,
    /// <summary>Every upstream failed or was upstream_failed.</summary>
    AllFailed,
    /// <summary>Every upstream is done, whatever its state.</summary>
    AllDone,
    /// <summary>Every upstream was skipped.</summary>
    AllSkipped,
    /// <summary>At least one upstream succeeded (fires without waiting for the rest).</summary>
    OneSuccess,
    /// <summary>At least one upstream failed (fires without waiting for the rest).</summary>
    OneFailed,
    /// <summary>At least one upstream succeeded or failed.</summary>
    OneDone,
    /// <summary>No upstream failed or upstream_failed.</summary>
    NoneFailed,
    /// <summary>No upstream failed and at least one succeeded.</summary>
    NoneFailedMinOneSuccess,
    /// <summary>No upstream was skipped.</summary>
    NoneSkipped,
    /// <summary>Runs regardless.</summary>
    Always,
}
