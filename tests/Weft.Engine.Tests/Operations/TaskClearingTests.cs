using Weft.Core.Runs;
using Weft.Engine.Operations;
using Weft.Engine.Storage;
using static Weft.Engine.Tests.Operations.RunFixtures;

namespace Weft.Engine.Tests.Operations;

public sealed class TaskClearingTests
{
    private static readonly RunSnapshot FailedRun = Run(
        Etl(), RunState.Failed,
        ("extract", TaskState.Success), ("transform", TaskState.Failed), ("load", TaskState.UpstreamFailed), ("report", TaskState.Success));

    [Fact]
    public void Select_NoIdsNoFlags_IsEveryTask()
    {
        var chosen = TaskClearing.Select(FailedRun, Etl(), [], onlyFailed: false, includeDownstream: false);

        Assert.Equal(["extract", "transform", "load", "report"], chosen);
    }

    [Fact]
    public void Select_Failed_IsFailedAndUpstreamFailed()
    {
        var chosen = TaskClearing.Select(FailedRun, Etl(), [], onlyFailed: true, includeDownstream: false);

        Assert.Equal(["transform", "load"], chosen);
    }

    [Fact]
    public void Select_Downstream_AddsEveryDescendantInRunOrder()
    {
        var chosen = TaskClearing.Select(FailedRun, Etl(), ["extract"], onlyFailed: false, includeDownstream: true);

        Assert.Equal(["extract", "transform", "load", "report"], chosen);
        Assert.Equal(["transform", "load"], TaskClearing.Select(FailedRun, Etl(), ["transform"], false, true));
    }

    [Fact]
    public void Select_UnknownTask_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => TaskClearing.Select(FailedRun, Etl(), ["ghost"], false, false));

        Assert.Contains("'ghost'", error.Message);
    }

    [Fact]
    public void Clear_ResetsTasksKeepsTryRaisesMaxTriesAndQueuesTheRun()
    {
        var now = Start.AddHours(1);

        var result = TaskClearing.Clear(FailedRun, Etl(), ["transform", "load"], now);

        Assert.Equal(["transform", "load"], result.Cleared);
        var transform = result.After.Task("transform");
        Assert.Equal(TaskState.None, transform.State);
        Assert.Equal(1, transform.TryNumber);
        Assert.Equal(1 + 2 + 1, transform.MaxTries);
        Assert.Null(transform.EndDate);
        Assert.Null(transform.Reason);
        Assert.Null(transform.ExitCode);
        Assert.Empty(transform.Outputs);
        Assert.Equal(0 + 0 + 1, result.After.Task("load").MaxTries);
        Assert.Equal(TaskState.Success, result.After.Task("extract").State);

        Assert.Equal(2, result.Batch.TaskInstances.Count);
        var run = Assert.Single(result.Batch.Runs);
        Assert.Equal(RunState.Queued, run.State);
        Assert.Null(run.EndDate);
        var e = Assert.Single(result.Batch.Events);
        Assert.Equal(OperatorEvents.Cleared, e.Kind);
        Assert.Equal("cleared 2 tasks: transform, load", e.Message);
        Assert.Equal(now, e.When);
    }

    [Fact]
    public void Clear_RunningRun_ResetsOnlyFinishedTasksAndStaysRunning()
    {
        var running = Run(Etl(), RunState.Running, ("extract", TaskState.Success), ("transform", TaskState.Running), ("report", TaskState.Failed));

        var result = TaskClearing.Clear(running, Etl(), ["extract", "transform", "load", "report"], Start);

        Assert.Equal(["extract", "report"], result.Cleared);
        Assert.Equal(TaskState.Running, result.After.Task("transform").State);
        Assert.Empty(result.Batch.Runs);
        Assert.Equal(RunState.Running, result.After.Run.State);
    }

    [Fact]
    public void Clear_NothingFinished_WritesNothing()
    {
        var queued = Run(Etl(), RunState.Queued);

        var result = TaskClearing.Clear(queued, Etl(), ["extract"], Start);

        Assert.Empty(result.Cleared);
        Assert.True(result.Batch.IsEmpty);
    }
}
