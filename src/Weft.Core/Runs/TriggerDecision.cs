namespace Weft.Core.Runs;

/// <summary>What a trigger rule says about a task that has not been considered yet.</summary>
internal enum TriggerDecision
{
    /// <summary>Not decidable yet: upstream tasks are still to finish.</summary>
    Wait,
    /// <summary>The rule is met; the task may be scheduled.</summary>
    Run,
    /// <summary>The rule can no longer be met because of skipped (or succeeded) upstreams; the task ends skipped.</summary>
    Skip,
    /// <summary>The rule can no longer be met because upstreams failed; the task ends upstream_failed.</summary>
    UpstreamFailed,
}
