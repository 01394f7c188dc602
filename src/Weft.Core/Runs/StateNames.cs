namespace Weft.Core.Runs;

/// <summary>The snake_case names the contract uses for states and rules, both ways.</summary>
public static class StateNames
{
    /// <summary>The contract name of a task state.</summary>
    public static string ToName(this TaskState state) => state switch
    {
        TaskState.None => "none",
        TaskState.Scheduled => "scheduled",
        TaskState.Queued => "queued",
        TaskState.Running => "running",
        TaskState.Success => "success",
        TaskState.Failed => "failed",
        TaskState.UpForRetry => "up_for_retry",
        TaskState.UpstreamFailed => "upstream_failed",
        TaskState.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    /// <summary>The contract name of a run state.</summary>
    public static string ToName(this RunState state) => state switch
    {
        RunState.Queued => "queued",
        RunState.Running => "running",
        RunState.Success => "success",
        RunState.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    /// <summary>The contract name of a trigger rule.</summary>
    public static string ToName(this TriggerRule rule) => rule switch
    {
        TriggerRule.AllSuccess => "all_success",
        TriggerRule.AllFailed => "all_failed",
        TriggerRule.AllDone => "all_done",
        TriggerRule.AllSkipped => "all_skipped",
        TriggerRule.OneSuccess => "one_success",
        TriggerRule.OneFailed => "one_failed",
        TriggerRule.OneDone => "one_done",
        TriggerRule.NoneFailed => "none_failed",
        TriggerRule.NoneFailedMinOneSuccess => "none_failed_min_one_success",
        TriggerRule.NoneSkipped => "none_skipped",
        TriggerRule.Always => "always",
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };

    /// <summary>Every trigger rule name, for suggestions.</summary>
    public static IReadOnlyList<string> TriggerRuleNames { get; } =
        Enum.GetValues<TriggerRule>().Select(r => r.ToName()).ToArray();

    /// <summary>Parses a task state name.</summary>
    public static bool TryParseTaskState(string name, out TaskState state)
    {
        foreach (var s in Enum.GetValues<TaskState>())
        {
            if (s.ToName() == name) { state = s; return true; }
        }
        state = default;
        return false;
    }

    /// <summary>Parses a run state name.</summary>
    public static bool TryParseRunState(string name, out RunState state)
    {
        foreach (var s in Enum.GetValues<RunState>())
        {
            if (s.ToName() == name) { state = s; return true; }
        }
        state = default;
        return false;
    }

    /// <summary>Parses a trigger rule name.</summary>
    public static bool TryParseTriggerRule(string name, out TriggerRule rule)
    {
        foreach (var r in Enum.GetValues<TriggerRule>())
        {
            if (r.ToName() == name) { rule = r; return true; }
        }
        rule = default;
        return false;
    }

    /// <summary>True for states a task does not leave without an operator.</summary>
    public static bool IsFinished(this TaskState state) =>
        state is TaskState.Success or TaskState.Failed or TaskState.UpstreamFailed or TaskState.Skipped;
}
