namespace Weft.Cli.Tests.Commands;

/// <summary>What <c>weft run</c> shows of the tasks' output: live with --output, and the end of a failed task's log.</summary>
public sealed class RunOutputTests : IDisposable
{
    private const string LongId = "a_dag_whose_id_is_long_enough_that_a_terminal_of_eighty_columns_would_wrap_the_summary_line";

    private readonly TempFolder _dir = new();

    public RunOutputTests() => _dir.Write("flow.yaml", $$"""
        id: {{LongId}}
        tasks:
          - id: prepare
            command: "echo first; echo second"
          - id: compute
            depends_on: [prepare]
            command: "for i in $(seq 1 15); do echo row $i; done; echo broken >&2; exit 3"
        """);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task FailedRun_ShowsTheLastLinesOfTheFailedTasksLog_AndTheCommandForTheRest()
    {
        var result = await _dir.Weft().RunAsync("run", "flow.yaml");

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.StdoutLines;
        var summary = Array.FindIndex(lines, l => l.StartsWith("run manual__", StringComparison.Ordinal));
        Assert.True(summary >= 0, result.ToString());
        // Never wrapped when stdout is not a terminal: the whole summary stays on one line.
        Assert.Contains(LongId + ": failed in ", lines[summary]);
        var after = lines[(summary + 1)..];
        Assert.Contains("compute failed (exit code 3); last lines of its log:", after);
        Assert.Contains("  | row 15", after);
        Assert.Contains("  | [stderr] broken", after);
        Assert.DoesNotContain("  | row 5", after);
        var runId = lines[summary].Split(' ')[1];
        Assert.Contains($"  full log: weft logs {runId} compute", after);
        Assert.DoesNotContain(after, l => l.Contains("prepare", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Output_StreamsEveryTasksLines_PrefixedWithItsId_BeforeItsEndIsReported()
    {
        var result = await _dir.Weft().RunAsync("run", "flow.yaml", "-o");

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.StdoutLines.ToList();
        Assert.Contains("prepare | first", lines);
        Assert.Contains("prepare | second", lines);
        Assert.Contains("compute | row 1", lines);
        Assert.Contains("compute | [stderr] broken", lines);
        // A task's lines come before its end is reported, and in the order it wrote them; tasks' lines are followed
        // each on its own (as docker compose shows services), so two tasks' lines are not ordered between them.
        Assert.True(lines.IndexOf("prepare | second") < lines.FindIndex(l => l.Contains("prepare: success", StringComparison.Ordinal)), result.ToString());
        Assert.True(lines.IndexOf("prepare | first") < lines.IndexOf("prepare | second"), result.ToString());
        Assert.True(lines.IndexOf("compute | row 15") < lines.FindIndex(l => l.Contains("compute: failed", StringComparison.Ordinal)), result.ToString());
    }
}
