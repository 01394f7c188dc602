using Weft.Core.Runs;
using static Weft.Core.Runs.TaskState;

namespace Weft.Core.Tests.Runs;

public sealed class RunCoordinatorReportTests
{
    [Fact]
    public void Finish_SameStateTwice_ChangesNothing()
    {
        var run = RunTestDags.Coordinator("a", "b: a");
        run.Start();
        run.Finish("a", Success);

        Assert.Empty(run.Finish("a", Success));
        Assert.Equal(Scheduled, run.StateOf("b"));
    }

    [Theory]
    [InlineData(Running)]
    [InlineData(None)]
    [InlineData(UpForRetry)]
    public void Finish_UnfinishedState_Throws(TaskState state)
    {
        var run = RunTestDags.Coordinator("a");
        run.Start();

        Assert.Throws<ArgumentException>(() => run.Finish("a", state));
    }

    [Fact]
    public void Finish_RunningToUpstreamFailed_IsRefused()
    {
        var run = RunTestDags.Coordinator("a");
        run.Start();
        run.MarkRunning("a");

        Assert.Throws<InvalidOperationException>(() => run.Finish("a", UpstreamFailed));
        Assert.Equal(Running, run.StateOf("a"));
    }

    [Fact]
    public void Finish_UnknownTask_Throws()
    {
        var run = RunTestDags.Coordinator("a");

        Assert.Throws<ArgumentException>(() => run.Finish("nope", Success));
    }

    [Fact]
    public void MarkRunning_FromScheduledQueuedOrUpForRetry_Runs()
    {
        var run = RunTestDags.Coordinator("a", "b", "c");
        run.Start();
        run.MarkQueued("b");
        run.MarkRunning("c");
        run.MarkUpForRetry("c");

        run.MarkRunning("a");
        run.MarkRunning("b");
        run.MarkRunning("c");

        Assert.Equal(["a", "b", "c"], run.TasksIn(Running));
    }

    [Fact]
    public void MarkRunning_TaskNotScheduled_IsRefused()
    {
        var run = RunTestDags.Coordinator("a", "b: a");
        run.Start();

        Assert.Throws<InvalidOperationException>(() => run.MarkRunning("b"));
        Assert.Throws<InvalidOperationException>(() => run.MarkUpForRetry("a"));
    }
}
