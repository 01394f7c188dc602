using Weft.Core.Runs;
using static Weft.Core.Runs.TaskState;

namespace Weft.Core.Tests.Runs;

public sealed class RunCoordinatorSnapshotTests
{
    [Fact]
    public void Start_ResumedSnapshot_RunsOnlyTasksNotYetDone()
    {
        var states = new Dictionary<string, TaskState> { ["a"] = Success, ["b"] = Success, ["x"] = Running };
        var run = new RunCoordinator(RunTestDags.Parse("a", "b: a", "c: b", "d: a", "x", "y: x"), states);

        var transitions = run.Start();

        Assert.Equal(["c", "d"], RunTestDags.ScheduledIds(transitions));
        Assert.Equal(Success, run.StateOf("a"));
        Assert.Equal(None, run.StateOf("y"));
        Assert.Equal(["y"], RunTestDags.ScheduledIds(run.Finish("x", Success)));
    }

    [Fact]
    public void Start_ClearedSnapshot_CascadesFromExistingFinishedStates()
    {
        // a stays skipped and b failed; their cleared downstreams are decided from those states.
        var states = new Dictionary<string, TaskState> { ["a"] = Skipped, ["b"] = Failed, ["gone"] = Success };
        var run = new RunCoordinator(RunTestDags.Parse("a", "b", "c: a", "d: c", "e: b", "f: b @all_done"), states);

        var transitions = run.Start();

        Assert.Equal(
            [("c", Skipped), ("d", Skipped), ("e", UpstreamFailed), ("f", Scheduled)],
            transitions.Select(t => (t.TaskId, t.To)).OrderBy(t => t.TaskId));
        Assert.Equal(["f"], run.TasksIn(Scheduled));
    }

    [Fact]
    public void Start_SnapshotAllDone_IsCompleteWithoutTransitions()
    {
        var states = new Dictionary<string, TaskState> { ["a"] = Success, ["b"] = Failed };
        var run = new RunCoordinator(RunTestDags.Parse("a", "b: a"), states);

        Assert.Empty(run.Start());
        Assert.True(run.IsComplete);
        Assert.Equal(RunState.Failed, run.FinalState);
    }

    [Fact]
    public void Finish_OperatorMarksFailedTaskSuccess_UpdatesRunState()
    {
        var run = RunTestDags.Coordinator("a", "b: a @all_done");
        RunTestDags.Drive(run, _ => Failed);
        Assert.Equal(RunState.Failed, run.FinalState);

        Assert.Empty(run.Finish("b", Success));

        Assert.Equal(RunState.Success, run.FinalState);
    }
}
