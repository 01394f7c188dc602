namespace Weft.Core.Runs;

/// <summary>
/// Airflow 2.x trigger rules as its scheduler applies them with upstream-failed flagging: a task is
/// decided as soon as the outcome is certain, which may be before every upstream has finished.
/// </summary>
internal static class TriggerRuleEvaluator
{
    /// <summary>Decides what a not-yet-considered task does, given its upstream counts.</summary>
    public static TriggerDecision Evaluate(TriggerRule rule, UpstreamCounts counts)
    {
        // A task without upstreams is a root: every rule lets it run.
        if (counts.Total == 0)
        {
            return TriggerDecision.Run;
        }

        var anyFailed = counts.Failed + counts.UpstreamFailed > 0;
        var allDone = counts.AllDone;
        var allSkipped = allDone && counts.Skipped == counts.Total;

        return rule switch
        {
            TriggerRule.AllSuccess =>
                anyFailed ? TriggerDecision.UpstreamFailed
                : counts.Skipped > 0 ? TriggerDecision.Skip
                : Ready(allDone),
            TriggerRule.AllFailed =>
                counts.Success + counts.Skipped > 0 ? TriggerDecision.Skip : Ready(allDone),
            TriggerRule.AllDone => Ready(allDone),
            TriggerRule.AllSkipped =>
                counts.Success > 0 || anyFailed ? TriggerDecision.Skip : Ready(allDone),
            TriggerRule.OneSuccess =>
                counts.Success > 0 ? TriggerDecision.Run
                : !allDone ? TriggerDecision.Wait
                : allSkipped ? TriggerDecision.Skip
                : TriggerDecision.UpstreamFailed,
            TriggerRule.OneFailed =>
                anyFailed ? TriggerDecision.Run : Settled(allDone),
            TriggerRule.OneDone =>
                counts.Success + counts.Failed > 0 ? TriggerDecision.Run : Settled(allDone),
            TriggerRule.NoneFailed =>
                anyFailed ? TriggerDecision.UpstreamFailed : Ready(allDone),
            TriggerRule.NoneFailedMinOneSuccess =>
                anyFailed ? TriggerDecision.UpstreamFailed
                : allSkipped ? TriggerDecision.Skip
                : Ready(allDone),
            TriggerRule.NoneSkipped =>
                counts.Skipped > 0 ? TriggerDecision.Skip : Ready(allDone),
            TriggerRule.Always => TriggerDecision.Run,
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown trigger rule."),
        };
    }

    // Nothing has ruled the task out: it runs once every upstream is done.
    private static TriggerDecision Ready(bool allDone) => allDone ? TriggerDecision.Run : TriggerDecision.Wait;

    // Nothing has fired the task: once every upstream is done it never will.
    private static TriggerDecision Settled(bool allDone) => allDone ? TriggerDecision.Skip : TriggerDecision.Wait;
}
