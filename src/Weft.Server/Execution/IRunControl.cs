namespace Weft.Server.Execution;

/// <summary>What the API asks of whoever executes runs in this process: wake up for a run that was queued or changed.</summary>
internal interface IRunControl
{
    /// <summary>A run was queued or changed by an operator: look now rather than at the next poll.</summary>
    void Nudge();
}
