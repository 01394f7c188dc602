using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Operations;
using static Weft.Engine.Tests.Operations.RunFixtures;

namespace Weft.Engine.Tests.Operations;

public sealed class TaskMarkingTests
{
    private static readonly DateTimeOffset Now = Start.AddHours(2);

    [Fact]
    public void Mark_FailedLeafAsSuccess_RunBecomesSuccess()
    {
        var run = Run(Etl(), RunState.Failed, ("extract", TaskState.Success), ("transform", TaskState.Success), ("load", TaskState.Failed), ("report", TaskState.Success));

        var result = TaskMarking.Mark(run, Etl(), "load", TaskState.Success, Now);

        Assert.True(result.Changed);
        Assert.Equal(TaskState.Failed, result.Previous);
        Assert.Equal(TaskState.Success, result.Task.State);
        Assert.Equal(Now, result.Task.EndDate);
        Assert.Equal(RunState.Success, result.Run.State);
        Assert.Equal(RunState.Success, Assert.Single(result.Batch.Runs).State);
        var e = Assert.Single(result.Batch.Events);
        Assert.Equal(OperatorEvents.Marked, e.Kind);
        Assert.Equal("load", e.TaskId);
    }

    [Fact]
    public void Mark_LeafFailed_RunBecomesFailed()
    {
        var run = Run(Etl(), RunState.Success, ("extract", TaskState.Success), ("transform", TaskState.Success), ("load", TaskState.Success), ("report", TaskState.Success));

        var result = TaskMarking.Mark(run, Etl(), "report", TaskState.Failed, Now);

        Assert.Equal(RunState.Failed, result.Run.State);
    }

    [Fact]
    public void Mark_NonLeafFailedInFinishedRun_RunStateFollowsTheLeaves()
    {
        var run = Run(Etl(), RunState.Success, ("extract", TaskState.Success), ("transform", TaskState.Success), ("load", TaskState.Success), ("report", TaskState.Success));

        var result = TaskMarking.Mark(run, Etl(), "transform", TaskState.Failed, Now);

        Assert.Equal(RunState.Success, result.Run.State);
        Assert.Empty(result.Batch.Runs);
    }

    [Fact]
    public void Mark_CriticalTaskFailed_RunBecomesFailed()
    {
        var dag = Etl() with { Tasks = [.. Etl().Tasks.Select(t => t.Id == "transform" ? t with { Critical = true } : t)] };
        var run = Run(dag, RunState.Success, ("extract", TaskState.Success), ("transform", TaskState.Success), ("load", TaskState.Success), ("report", TaskState.Success));

        var result = TaskMarking.Mark(run, dag, "transform", TaskState.Failed, Now);

        Assert.Equal(RunState.Failed, result.Run.State);
    }

    [Fact]
    public void Mark_WhileOtherTasksAreUnfinished_LeavesTheRunAlone()
    {
        var run = Run(Etl(), RunState.Queued, ("extract", TaskState.Failed));

        var result = TaskMarking.Mark(run, Etl(), "extract", TaskState.Success, Now);

        Assert.Equal(RunState.Queued, result.Run.State);
        Assert.Empty(result.Batch.Runs);
        Assert.Single(result.Batch.TaskInstances);
    }

    [Fact]
    public void Mark_SameState_ChangesNothing()
    {
        var run = Run(Etl(), RunState.Failed, ("extract", TaskState.Success));

        var result = TaskMarking.Mark(run, Etl(), "extract", TaskState.Success, Now);

        Assert.False(result.Changed);
        Assert.True(result.Batch.IsEmpty);
    }

    [Fact]
    public void Mark_RunningTask_IsRefused()
    {
        var run = Run(Etl(), RunState.Running, ("extract", TaskState.Running));

        Assert.Throws<OperationRefusedException>(() => TaskMarking.Mark(run, Etl(), "extract", TaskState.Failed, Now));
    }

    [Theory]
    [InlineData(TaskState.Skipped)]
    [InlineData(TaskState.None)]
    public void Mark_OtherStates_AreRejected(TaskState state)
    {
        var run = Run(Etl(), RunState.Failed);

        Assert.Throws<ArgumentException>(() => TaskMarking.Mark(run, Etl(), "extract", state, Now));
    }

    [Fact]
    public void Mark_UnknownTask_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => TaskMarking.Mark(Run(Etl(), RunState.Failed), Etl(), "ghost", TaskState.Success, Now));
    }
}
