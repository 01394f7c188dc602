namespace Weft.Server.Execution;

/// <summary>
/// What the API asks of whoever executes runs in this process: wake up for a new run, and stop driving a run
/// before an operator rewrites its state (clear, mark).
/// </summary>
internal interface IRunControl
{
    /// <summary>A run was queued: look now rather than at the next poll.</summary>
    void Nudge();

    /// <summary>Stops executing the run in this process, if it is; returns when it has stopped.</summary>
    Task StopAsync(string dagId, string runId, CancellationToken cancellationToken);
}
