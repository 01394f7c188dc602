using System.Text;

namespace Weft.Cli.Tests.EngineRuns;

/// <summary>
/// Every trigger rule over every mix of upstream outcomes, in one DAG: shared upstream tasks that succeed,
/// fail, skip (exit 99) or end upstream_failed, and one downstream task per (rule, mix) pair.
/// The expected states are Airflow's, written out by hand.
/// </summary>
public sealed class TriggerRuleTests : IDisposable
{
    private readonly TempFolder _dir = new();

    // Upstream mixes: name and the upstream tasks the downstream depends on.
    private static readonly (string Mix, string[] Upstream)[] Mixes =
    [
        ("ok_ok", ["ok1", "ok2"]),
        ("ok_bad", ["ok1", "bad1"]),
        ("ok_skip", ["ok1", "skip1"]),
        ("bad_bad", ["bad1", "bad2"]),
        ("skip_skip", ["skip1", "skip2"]),
        ("bad_uf", ["bad1", "uf"]),
        ("ok_uf", ["ok1", "uf"]),
        ("bad_skip", ["bad1", "skip1"]),
    ];

    // R: runs (and succeeds), S: skipped, U: upstream_failed; in the order of Mixes.
    private static readonly (string Rule, string Expected)[] Rules =
    [
        ("all_success", "RUSUSUUU"),
        ("all_failed", "SSSRSRSS"),
        ("all_done", "RRRRRRRR"),
        ("all_skipped", "SSSSRSSS"),
        ("one_success", "RRRUSURU"),
        ("one_failed", "SRSRSRRR"),
        ("one_done", "RRRRSRRR"),
        ("none_failed", "RURURUUU"),
        ("none_failed_min_one_success", "RURUSUUU"),
        ("none_skipped", "RRSRSRRS"),
        ("always", "RRRRRRRR"),
    ];

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task EveryRule_OverEveryUpstreamMix_DecidesAsAirflowDoes()
    {
        var dag = new StringBuilder("""
            id: trigger_matrix
            tasks:
              - id: ok1
                command: "true"
              - id: ok2
                command: echo fine
              - id: bad1
                command: exit 1
              - id: bad2
                command: exit 2
              - id: skip1
                command: exit 99
              - id: skip2
                command: exit 99
              - id: uf
                depends_on: [bad1]
                command: echo never

            """);
        foreach (var (rule, _) in Rules)
        {
            foreach (var (mix, upstream) in Mixes)
            {
                dag.Append($"  - id: {rule}__{mix}\n    trigger_rule: {rule}\n    depends_on: [{string.Join(", ", upstream)}]\n    command: echo ran\n");
            }
        }

        var file = _dir.Write("matrix.yaml", dag.ToString());

        var run = await EngineRun.StartAsync(_dir.Weft(), file);

        // Upstream tasks end as they were made to.
        Assert.Equal("success", run.TaskState("ok1"));
        Assert.Equal("failed", run.TaskState("bad1"));
        Assert.Equal("skipped", run.TaskState("skip1"));
        Assert.Equal("upstream_failed", run.TaskState("uf"));

        var wrong = new List<string>();
        foreach (var (rule, expected) in Rules)
        {
            for (var i = 0; i < Mixes.Length; i++)
            {
                var want = expected[i] switch { 'R' => "success", 'S' => "skipped", _ => "upstream_failed" };
                var id = $"{rule}__{Mixes[i].Mix}";
                var got = run.TaskState(id);
                if (got != want)
                {
                    wrong.Add($"{id}: expected {want}, got {got}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong) + "\n" + run);

        // Leaves ended upstream_failed, so the run failed.
        Assert.Equal("failed", run.State);
        Assert.Equal(1, run.ExitCode);
    }

    [Theory]
    // A failed task that is not a leaf does not fail the run when the leaf after it runs.
    [InlineData("all_done", "success", 0)]
    [InlineData("one_failed", "success", 0)]
    [InlineData("always", "success", 0)]
    // A leaf that ends upstream_failed fails the run.
    [InlineData("all_success", "failed", 1)]
    [InlineData("none_failed", "failed", 1)]
    // A leaf that ends skipped does not.
    [InlineData("all_skipped", "success", 0)]
    public async Task RunState_FollowsTheLeaves(string rule, string runState, int exitCode)
    {
        var file = _dir.Write($"leaf_{rule}.yaml", $"""
            id: leaf_{rule}
            tasks:
              - id: breaks
                command: exit 5
              - id: leaf
                depends_on: [breaks]
                trigger_rule: {rule}
                command: echo cleanup
            """);

        var run = await EngineRun.StartAsync(_dir.Weft(), file);

        Assert.True(run.State == runState, run.ToString());
        Assert.Equal(exitCode, run.ExitCode);
        Assert.Equal("failed", run.TaskState("breaks"));
        Assert.Equal(5, run.Task("breaks").GetProperty("exit_code").GetInt32());
    }

    [Fact]
    public async Task FailingLeaf_FailsTheRun_EvenWhenOtherLeavesSucceed()
    {
        var file = _dir.Write("two_leaves.yaml", """
            id: two_leaves
            tasks:
              - id: good
                command: echo good
              - id: bad
                command: exit 3
            """);

        var run = await EngineRun.StartAsync(_dir.Weft(), file);

        Assert.Equal("failed", run.State);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("success", run.TaskState("good"));
        Assert.Equal(3, run.Task("bad").GetProperty("exit_code").GetInt32());
    }

    [Fact]
    public async Task OnlyTaskSkipped_RunSucceeds()
    {
        var file = _dir.Write("skip_only.yaml", """
            id: skip_only
            tasks:
              - id: nothing_to_do
                command: echo "no new data"; exit 99
            """);

        var run = await EngineRun.StartAsync(_dir.Weft(), file);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("success", run.State);
        Assert.Equal("skipped", run.TaskState("nothing_to_do"));
        Assert.Equal(99, run.Task("nothing_to_do").GetProperty("exit_code").GetInt32());
    }

    [Fact]
    public async Task SkipCascades_ThroughAllSuccess_AndRunSucceeds()
    {
        var file = _dir.Write("skip_chain.yaml", """
            id: skip_chain
            tasks:
              - id: gate
                command: exit 99
              - id: work
                depends_on: [gate]
                command: touch work.txt
              - id: publish
                depends_on: [work]
                command: touch publish.txt
            """);

        var run = await EngineRun.StartAsync(_dir.Weft(), file);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("skipped", run.TaskState("work"));
        Assert.Equal("skipped", run.TaskState("publish"));
        Assert.False(File.Exists(Path.Combine(_dir.Path, "work.txt")));
    }
}
