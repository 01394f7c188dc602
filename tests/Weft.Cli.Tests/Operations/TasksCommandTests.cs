using static Weft.Cli.Tests.Operations.OperationsFixture;

namespace Weft.Cli.Tests.Operations;

public sealed class TasksCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public TasksCommandTests() => _dir.Write("dags/gated.yaml", Gated);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ClearFailed_ThenResume_RerunsOnlyTheFailedTasks()
    {
        var runId = await RunAsync(_dir, "gated", expectedExit: 1);

        var clear = await _dir.Weft().RunAsync("tasks", "clear", runId, "--failed");
        Assert.True(clear.ExitCode == 0, clear.ToString());
        Assert.Equal($"cleared 2 task instances; continue with 'weft run --resume {runId}'", clear.StdoutLines[0]);
        using (var cleared = await JsonAsync(_dir, "runs", "show", runId))
        {
            Assert.Equal("queued", cleared.RootElement.GetProperty("state").GetString());
            var gate = cleared.RootElement.Task("gate");
            Assert.Equal("none", gate.GetProperty("state").GetString());
            Assert.Equal(1, gate.GetProperty("try_number").GetInt32());
            Assert.Equal(2, gate.GetProperty("max_tries").GetInt32());
        }

        _dir.Write("dags/marker", "");
        var resume = await _dir.Weft().RunAsync("run", "--resume", runId);
        Assert.True(resume.ExitCode == 0, resume.ToString());

        Assert.Single(File.ReadAllLines(Path.Combine(_dir.Path, "dags", "count.txt")));
        using var after = await JsonAsync(_dir, "runs", "show", runId);
        Assert.Equal("success", after.RootElement.GetProperty("state").GetString());
        Assert.Equal(1, after.RootElement.Task("first").GetProperty("try_number").GetInt32());
        Assert.Equal(2, after.RootElement.Task("gate").GetProperty("try_number").GetInt32());
        Assert.Equal("success", after.RootElement.Task("after").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Clear_TaskWithDownstream_Json_ListsTheClearedIds()
    {
        var runId = await RunAsync(_dir, "gated", expectedExit: 1);

        using var json = await JsonAsync(_dir, "tasks", "clear", runId, "first", "--downstream", "--yes");

        Assert.Equal(["first", "gate", "after"], json.RootElement.GetProperty("cleared").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Mark_SetsTheTaskAndRecomputesTheRun()
    {
        var runId = await RunAsync(_dir, "gated", expectedExit: 1);

        var gate = await _dir.Weft().RunAsync("tasks", "mark", runId, "gate", "success");
        var after = await _dir.Weft().RunAsync("tasks", "mark", runId, "after", "success");

        Assert.True(gate.ExitCode == 0, gate.ToString());
        Assert.Contains("run '" + runId + "' is failed", gate.Stdout);
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Contains("run '" + runId + "' is success", after.Stdout);
        using var run = await JsonAsync(_dir, "runs", "show", runId);
        Assert.Equal("success", run.RootElement.GetProperty("state").GetString());
        Assert.Equal("success", run.RootElement.Task("after").GetProperty("state").GetString());
    }

    [Theory]
    [InlineData(2, "tasks", "mark", "RUN", "gate", "skipped")]
    [InlineData(1, "tasks", "mark", "RUN", "ghost", "success")]
    [InlineData(1, "tasks", "mark", "nope", "gate", "success")]
    [InlineData(1, "tasks", "clear", "nope")]
    [InlineData(1, "tasks", "clear", "RUN", "ghost")]
    public async Task BadSubjects_ExitWithTheContractsCodes(int exit, params string[] args)
    {
        var runId = await RunAsync(_dir, "gated", expectedExit: 1);

        var result = await _dir.Weft().RunAsync([.. args.Select(a => a == "RUN" ? runId : a)], standardInput: null);

        Assert.True(result.ExitCode == exit, result.ToString());
        Assert.StartsWith("weft: error: ", result.StderrLines[0]);
    }
}
