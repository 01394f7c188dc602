using Weft.Core.Runs;
using static Weft.Core.Runs.TaskState;

namespace Weft.Core.Tests.Runs;

public sealed class RunCoordinatorOutcomeTests
{
    [Theory]
    [InlineData("", "success")]
    [InlineData("b", "success")]
    [InlineData("cleanup", "failed")]
    [InlineData("a", "failed")]
    [InlineData("other", "failed")]
    public void FinalState_ByLeaves_FailsOnlyWhenALeafFails(string failing, string expected)
    {
        // cleanup (all_done) absorbs failures above it; it and other are the leaves, and a failing upstream-fails other.
        var run = RunTestDags.Coordinator("a", "b: a", "cleanup: b @all_done", "other: a");

        RunTestDags.Drive(run, id => id == failing ? Failed : Success);

        Assert.True(run.IsComplete);
        Assert.Equal(expected, run.FinalState?.ToName());
    }

    [Fact]
    public void FinalState_CriticalTaskFailedButLeavesSucceeded_IsFailed()
    {
        var run = RunTestDags.Coordinator("a !", "b: a @all_done");

        RunTestDags.Drive(run, id => id == "a" ? Failed : Success);

        Assert.Equal(Success, run.StateOf("b"));
        Assert.Equal(RunState.Failed, run.FinalState);
    }

    [Fact]
    public void FinalState_LeafUpstreamFailed_IsFailed()
    {
        var run = RunTestDags.Coordinator("a", "b: a", "c: b");

        RunTestDags.Drive(run, id => id == "a" ? Failed : Success);

        Assert.Equal(UpstreamFailed, run.StateOf("c"));
        Assert.Equal(RunState.Failed, run.FinalState);
    }

    [Fact]
    public void FailFast_CriticalFailure_SkipsEveryTaskNotRunning()
    {
        var run = RunTestDags.Coordinator("crit !", "busy", "waiting", "retrying", "after: busy", "below: crit @all_done");
        run.Start();
        run.MarkRunning("crit");
        run.MarkRunning("busy");
        run.MarkRunning("retrying");
        run.MarkUpForRetry("retrying");

        var transitions = run.FailFast("crit");

        Assert.Equal(
            [("crit", Running, Failed), ("waiting", Scheduled, Skipped), ("retrying", UpForRetry, Skipped), ("after", None, Skipped), ("below", None, Skipped)],
            transitions.Select(t => (t.TaskId, t.From, t.To)));
        Assert.Equal(Running, run.StateOf("busy"));
        Assert.Equal(RunState.Failed, run.FinalState);
        Assert.False(run.IsComplete);
        Assert.True(run.HasFailedFast);
        Assert.Throws<InvalidOperationException>(() => run.MarkUpForRetry("busy"));
        Assert.Throws<InvalidOperationException>(() => run.MarkRunning("waiting"));

        Assert.Empty(run.Finish("busy", Failed));
        Assert.True(run.IsComplete);
        Assert.Equal(RunState.Failed, run.FinalState);
    }

    [Fact]
    public void FailFast_AfterFinishReportedTheFailure_SkipsTheRest()
    {
        var run = RunTestDags.Coordinator("crit !", "b: crit", "c");
        run.Start();
        run.MarkRunning("crit");
        run.Finish("crit", Failed);

        var transitions = run.FailFast("crit");

        Assert.Equal([("c", Skipped)], transitions.Select(t => (t.TaskId, t.To)));
        Assert.Equal(UpstreamFailed, run.StateOf("b"));
        Assert.True(run.IsComplete);
        Assert.Equal(RunState.Failed, run.FinalState);
    }
}
