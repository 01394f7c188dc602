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

        Assert.Equal(["b"], RunTestDags.ScheduledIds(run.Finish("a", Success)));
        Assert.Equal(["c"], RunTestDags.ScheduledIds(run.Finish("b", Success)));
        Assert.Empty(run.Finish("c", Success));
        Assert.True(run.IsComplete);
        Assert.Equal(RunState.Success, run.FinalState);
    }

    [Fact]
    public void Finish_Diamond_JoinWaitsForBothBranches()
    {
        var run = RunTestDags.Coordinator("a", "b: a", "c: a", "d: b c");
        run.Start();

        Assert.Equal(["b", "c"], RunTestDags.ScheduledIds(run.Finish("a", Success)));
        Assert.Empty(run.Finish("c", Success));
        Assert.Equal(None, run.StateOf("d"));
        Assert.Equal(["d"], RunTestDags.ScheduledIds(run.Finish("b", Success)));
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

        Assert.Equal(["c"], RunTestDags.ScheduledIds(run.Finish("a", Success)));
        Assert.Equal(Running, run.StateOf("b"));
        Assert.Empty(run.Finish("b", Failed));
    }

    [Fact]
    public void Finish_OneFailed_FiresOnFirstFailureAndSkipsWhenNoneFail()
    {
        var run = RunTestDags.Coordinator("a", "b", "alert: a b @one_failed", "c", "d", "quiet: c d @one_failed");
        run.Start();

        Assert.Equal(["alert"], RunTestDags.ScheduledIds(run.Finish("a", Failed)));
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

        Assert.Equal(["b"], RunTestDags.ScheduledIds(run.Finish("a", Success)));
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
}
