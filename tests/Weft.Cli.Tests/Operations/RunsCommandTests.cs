using System.Text.Json;
using static Weft.Cli.Tests.Operations.OperationsFixture;

namespace Weft.Cli.Tests.Operations;

public sealed class RunsCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public RunsCommandTests() => _dir.Write("dags/echo.yaml", Echo);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ListAndShow_AfterARun_GiveTheRunInTheContractShape()
    {
        var runId = await RunAsync(_dir, "echo");

        using (var list = await JsonAsync(_dir, "runs", "list"))
        {
            Assert.Equal(1, list.RootElement.GetProperty("total_entries").GetInt32());
            var run = Assert.Single(list.RootElement.GetProperty("dag_runs").EnumerateArray());
            Assert.Equal("echo", run.GetProperty("dag_id").GetString());
            Assert.Equal(runId, run.GetProperty("run_id").GetString());
            Assert.Equal("success", run.GetProperty("state").GetString());
            Assert.Equal("manual", run.GetProperty("run_type").GetString());
            Assert.False(run.TryGetProperty("tasks", out _));
        }

        using (var show = await JsonAsync(_dir, "runs", "show", runId))
        {
            var run = show.RootElement;
            Assert.Equal("echo", run.GetProperty("dag_id").GetString());
            Assert.Equal(runId, run.GetProperty("run_id").GetString());
            Assert.Equal("success", run.GetProperty("state").GetString());
            Assert.Equal("manual", run.GetProperty("run_type").GetString());
            Assert.Equal(JsonValueKind.Object, run.GetProperty("conf").ValueKind);
            var say = run.Task("say");
            Assert.Equal("success", say.GetProperty("state").GetString());
            Assert.Equal(1, say.GetProperty("try_number").GetInt32());
            Assert.Equal(1, say.GetProperty("max_tries").GetInt32());
            Assert.Equal(0, say.GetProperty("exit_code").GetInt32());
            Assert.Equal("42", say.GetProperty("outputs").GetProperty("rows").GetString());
            Assert.Equal(1, run.Task("quiet").GetProperty("try_number").GetInt32());
        }

        var text = await _dir.Weft().RunAsync("runs", "list", "echo");
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains(text.StdoutLines, l => l.StartsWith(runId, StringComparison.Ordinal) && l.Contains("success") && l.Contains("manual"));

        var shown = await _dir.Weft().RunAsync("runs", "show", runId);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains(shown.StdoutLines, l => l.StartsWith("say ", StringComparison.Ordinal) && l.Contains("success") && l.Contains("1/1"));
    }

    [Fact]
    public async Task List_FiltersByDagAndState()
    {
        await RunAsync(_dir, "echo");

        using var failed = await JsonAsync(_dir, "runs", "list", "--state", "failed");
        using var other = await JsonAsync(_dir, "runs", "list", "other_dag");

        Assert.Equal(0, failed.RootElement.GetProperty("total_entries").GetInt32());
        Assert.Equal(0, other.RootElement.GetProperty("dag_runs").GetArrayLength());
    }

    [Fact]
    public async Task Show_UnknownRun_ExitsOne()
    {
        var result = await _dir.Weft().RunAsync("runs", "show", "x");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("weft: error: no run 'x'", result.StderrLines[0]);
    }

    [Fact]
    public async Task List_BadState_ExitsTwo()
    {
        var result = await _dir.Weft().RunAsync("runs", "list", "--state", "done");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("weft: error: unknown run state 'done'", result.StderrLines[0]);
    }
}
