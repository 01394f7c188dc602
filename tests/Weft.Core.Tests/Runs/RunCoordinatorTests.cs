using Weft.Core.Runs;
using static Weft.Core.Runs.TaskState;

namespace Weft.Core.Tests.Runs;

public sealed class RunCoordinatorTests
{
    [Fact]
    public void Start_Chain_SchedulesOnlyTheRoot()
    {
        var run = RunTestDags.Coordinator("a", "b: a", "c: b");

        var transitions = run.Start();

        var only = Assert.Single(transitions);
        Assert.Equal(new TaskTransition("a", None, Scheduled, only.Reason), only);
        Assert.Equal(None, run.StateOf("b"));
        Assert.False(run.IsComplete);
        Assert.Null(run.FinalState);
    }

    [Fact]
    public void Finish_Chain_SchedulesEachTaskAfterItsUpstream()
    {
        var run = RunTestDags.Coordinator("a", "b: a", "c: b");
        run.Start();

        Assert.Equal(["b"], ScheduledIds(run.Finish("a", Success)));
        Assert.Equal(["c"], ScheduledIds(run.Finish("b", Success)));
        Assert.Empty(run.Finish("c", Success));
        Assert.True(run.IsComplete);
        Assert.Equal(RunState.Success, run.FinalState);
    }

    [Fact]
    public void Finish_Diamond_JoinWaitsForBothBranches()
    {
        var run = RunTestDags.Coordinator("a", "b: a", "c: a", "d: b c");
        run.Start();

        Assert.Equal(["b", "c"], ScheduledIds(run.Finish("a", Success)));
        Assert.Empty(run.Finish("c", Success));
        Assert.Equal(None, run.StateOf("d"));
        Assert.Equal(["d"], ScheduledIds(run.Finish("b", Success)));
    }

    [Fact]
    public void Drive_FanOutFanIn_RunsEveryTaskOnce()
    {
        var middle = Enumerable.Range(0, 50).Select(i => $"m{i}: root").ToArray();
        var join = "join: " + string.Join(' ', Enumerable.Range(0, 50).Select(i => $"m{i}"));
        var run = RunTestDags.Coordinator(["root", .. middle, join]);

        var transitions = RunTestDags.Drive(run);

        Assert.Equal(52, transitions.Count(t => t.To == TaskState.Scheduled));
        Assert.Equal(52, transitions.Select(t => t.TaskId).Distinct().Count());
        Assert.Equal(RunState.Success, run.FinalState);
    }

    [Fact]
    public void Finish_SkippedRootOfAllSuccessChain_SkipsTheWholeChainAtOnce()
    {
        var run = RunTestDags.Coordinator("a", "b: a", "c: b", "d: c");
        run.Start();

        var transitions = run.Finish("a", Skipped);

        Assert.Equal(["b", "c", "d"], transitions.Select(t => t.TaskId));
        Assert.All(transitions, t => Assert.Equal(Skipped, t.To));
        Assert.All(transitions, t => Assert.NotNull(t.Reason));
        Assert.Equal(RunState.Success, run.FinalState);
    }

    [Fact]
    public void Finish_FailedRoot_CascadesUpstreamFailedAndFailsTheRun()
    {
        var run = RunTestDags.Coordinator("a", "b: a", "c: b", "side");
        run.Start();

        var transitions = run.Finish("a", Failed);

        Assert.Equal([("b", UpstreamFailed), ("c", UpstreamFailed)], transitions.Select(t => (t.TaskId, t.To)));
        Assert.Null(run.FinalState);
        run.Finish("side", Success);
        Assert.Equal(RunState.Failed, run.FinalState);
    }

    [Fact]
    public void Finish_OneSuccess_FiresBeforeOtherUpstreamsFinish()
    {
        var run = RunTestDags.Coordinator("a", "b", "c: a b @one_success");
        run.Start();
        run.MarkRunning("b");

        Assert.Equal(["c"], ScheduledIds(run.Finish("a", Success)));
        Assert.Equal(Running, run.StateOf("b"));
        Assert.Empty(run.Finish("b", Failed));
    }

    [Fact]
    public void Finish_OneFailed_FiresOnFirstFailureAndSkipsWhenNoneFail()
    {
        var run = RunTestDags.Coordinator("a", "b", "alert: a b @one_failed", "c", "d", "quiet: c d @one_failed");
        run.Start();

        Assert.Equal(["alert"], ScheduledIds(run.Finish("a", Failed)));
        run.Finish("c", Success);
        var transitions = run.Finish("d", Success);

        Assert.Equal(("quiet", Skipped), (transitions.Single().TaskId, transitions.Single().To));
    }

    // The upstreams finish in order, first then second; a decision taken after the first one stands.
    [Theory]
    [InlineData("all_success", Success, Failed, UpstreamFailed)]
    [InlineData("all_success", Success, Skipped, Skipped)]
    [InlineData("all_success", Failed, Skipped, UpstreamFailed)]
    [InlineData("all_success", Skipped, Failed, Skipped)]
    [InlineData("all_failed", Failed, UpstreamFailed, Scheduled)]
    [InlineData("all_failed", Failed, Skipped, Skipped)]
    [InlineData("all_done", Failed, Skipped, Scheduled)]
    [InlineData("all_skipped", Skipped, Skipped, Scheduled)]
    [InlineData("all_skipped", Skipped, Success, Skipped)]
    [InlineData("one_success", Failed, Failed, UpstreamFailed)]
    [InlineData("one_success", Skipped, Skipped, Skipped)]
    [InlineData("one_success", Skipped, Failed, UpstreamFailed)]
    [InlineData("one_failed", Success, Skipped, Skipped)]
    [InlineData("one_failed", UpstreamFailed, Success, Scheduled)]
    [InlineData("one_done", Skipped, UpstreamFailed, Skipped)]
    [InlineData("one_done", Skipped, Failed, Scheduled)]
    [InlineData("none_failed", Success, Skipped, Scheduled)]
    [InlineData("none_failed", Success, Failed, UpstreamFailed)]
    [InlineData("none_failed_min_one_success", Skipped, Skipped, Skipped)]
    [InlineData("none_failed_min_one_success", Skipped, Success, Scheduled)]
    [InlineData("none_skipped", Failed, Success, Scheduled)]
    [InlineData("none_skipped", Success, Skipped, Skipped)]
    [InlineData("always", Failed, UpstreamFailed, Scheduled)]
    public void Finish_DownstreamRule_DecidesFromUpstreamOutcomes(string rule, TaskState first, TaskState second, TaskState expected)
    {
        var run = RunTestDags.Coordinator("a", "b", $"c: a b @{rule}");
        run.Start();

        run.Finish("a", first);
        run.Finish("b", second);

        Assert.Equal(expected, run.StateOf("c"));
    }

    [Fact]
    public void Finish_SkipThenUpstreamFailed_CascadeMixesThroughRules()
    {
        // b is skipped by all_success; c (none_failed) still runs; d (all_success after c and a failure) is upstream_failed.
        var run = RunTestDags.Coordinator("a", "b: a", "c: b @none_failed", "x", "d: c x");
        run.Start();

        run.Finish("a", Skipped);
        run.Finish("x", Failed);

        Assert.Equal(Skipped, run.StateOf("b"));
        Assert.Equal(Scheduled, run.StateOf("c"));
        Assert.Equal(UpstreamFailed, run.StateOf("d"));
    }

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

    [Fact]
    public void Start_ResumedSnapshot_RunsOnlyTasksNotYetDone()
    {
        var states = new Dictionary<string, TaskState> { ["a"] = Success, ["b"] = Success, ["x"] = Running };
        var run = new RunCoordinator(RunTestDags.Parse("a", "b: a", "c: b", "d: a", "x", "y: x"), states);

        var transitions = run.Start();

        Assert.Equal(["c", "d"], ScheduledIds(transitions));
        Assert.Equal(Success, run.StateOf("a"));
        Assert.Equal(None, run.StateOf("y"));
        Assert.Equal(["y"], ScheduledIds(run.Finish("x", Success)));
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

    [Fact]
    public void Start_EmptyDag_IsCompleteAndSucceeds()
    {
        var run = RunTestDags.Coordinator();

        Assert.Empty(run.Start());
        Assert.True(run.IsComplete);
        Assert.Equal(RunState.Success, run.FinalState);
    }

    [Theory]
    [InlineData("a: missing")]
    [InlineData("a: a")]
    public void Constructor_BadDependency_Throws(string spec)
    {
        Assert.Throws<ArgumentException>(() => RunTestDags.Coordinator(spec));
    }

    [Fact]
    public void Constructor_RepeatedUpstream_CountsOnce()
    {
        var run = RunTestDags.Coordinator("a", "b: a a");
        run.Start();

        Assert.Equal(["b"], ScheduledIds(run.Finish("a", Success)));
    }

    [Fact]
    public void Drive_TenThousandTaskLayeredDag_CompletesWithEveryTaskRunOnce()
    {
        const int layers = 100, width = 100;
        var specs = new List<string>();
        for (var layer = 0; layer < layers; layer++)
        {
            for (var i = 0; i < width; i++)
            {
                specs.Add(layer == 0
                    ? $"t0_{i}"
                    : $"t{layer}_{i}: t{layer - 1}_{i} t{layer - 1}_{(i + 1) % width} t{layer - 1}_{(i + 7) % width}");
            }
        }
        var run = RunTestDags.Coordinator([.. specs]);

        var transitions = RunTestDags.Drive(run);

        Assert.Equal(layers * width, transitions.Count);
        Assert.Equal(layers * width, transitions.Select(t => t.TaskId).Distinct().Count());
        Assert.True(run.IsComplete);
        Assert.Equal(RunState.Success, run.FinalState);
    }

    [Fact]
    public void Finish_SkipAtHeadOfTenThousandTaskChain_CascadesWithoutRecursion()
    {
        var specs = Enumerable.Range(0, 10_000).Select(i => i == 0 ? "t0" : $"t{i}: t{i - 1}").ToArray();
        var run = RunTestDags.Coordinator(specs);
        run.Start();

        var transitions = run.Finish("t0", Skipped);

        Assert.Equal(9_999, transitions.Count);
        Assert.True(run.IsComplete);
        Assert.Equal(RunState.Success, run.FinalState);
    }

    private static string[] ScheduledIds(IEnumerable<TaskTransition> transitions) =>
        [.. transitions.Where(t => t.To == TaskState.Scheduled).Select(t => t.TaskId)];
}
