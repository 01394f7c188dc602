using static Weft.Cli.Tests.Operations.OperationsFixture;

namespace Weft.Cli.Tests.Operations;

public sealed class LogsCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Logs_PrintTheAttemptsOutput()
    {
        _dir.Write("dags/echo.yaml", Echo);
        var runId = await RunAsync(_dir, "echo");

        var result = await _dir.Weft().RunAsync("logs", runId, "say");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.StdoutLines, l => l.EndsWith("hello from weft", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_TaskWithoutLog_PrintsNothing_UnknownTaskExitsOne()
    {
        _dir.Write("dags/echo.yaml", Echo);
        var runId = await RunAsync(_dir, "echo");

        var quiet = await _dir.Weft().RunAsync("logs", runId, "quiet");
        var ghost = await _dir.Weft().RunAsync("logs", runId, "ghost");
        var noRun = await _dir.Weft().RunAsync("logs", "nope", "say");
        var badAttempt = await _dir.Weft().RunAsync("logs", runId, "say", "--attempt", "5");

        Assert.True(quiet.ExitCode == 0 && quiet.Stdout.Length == 0, quiet.ToString());
        Assert.True(ghost.ExitCode == 1, ghost.ToString());
        Assert.Contains("has no task 'ghost'", ghost.StderrLines[0]);
        Assert.True(noRun.ExitCode == 1, noRun.ToString());
        Assert.True(badAttempt.ExitCode == 1, badAttempt.ToString());
    }

    [Fact]
    public async Task Follow_PrintsLinesAsTheyComeAndEndsWhenTheTaskEnds()
    {
        var go = Path.Combine(_dir.Path, "go");
        _dir.Write("dags/slow.yaml", $"""
            id: slow
            tasks:
              - id: wait
                command: echo waiting; while [ ! -f '{go}' ]; do sleep 0.05; done; echo released
            """);
        var run = _dir.Weft().RunAsync("run", "slow", "--quiet");
        var log = await WaitForLogAsync("slow", "wait");
        var runId = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(log)))!["run_id=".Length..];

        var follow = _dir.Weft().RunAsync("logs", runId, "wait", "--follow");
        await Task.Delay(1500);
        Assert.False(follow.IsCompleted, "--follow must keep going while the task runs");
        await File.WriteAllTextAsync(go, "");

        var followed = await follow;
        Assert.True((await run).ExitCode == 0);
        Assert.True(followed.ExitCode == 0, followed.ToString());
        Assert.Contains(followed.StdoutLines, l => l.EndsWith("waiting", StringComparison.Ordinal));
        Assert.Contains(followed.StdoutLines, l => l.EndsWith("released", StringComparison.Ordinal));
    }

    // The first line of the attempt reaches the disk once the task is running; its folder names the run.
    private async Task<string> WaitForLogAsync(string dagId, string taskId)
    {
        var root = Path.Combine(_dir.Path, ".weft", "logs", "dag_id=" + dagId);
        for (var i = 0; i < 300; i++)
        {
            if (Directory.Exists(root)
                && Directory.EnumerateFiles(root, "attempt=1.log", SearchOption.AllDirectories).FirstOrDefault(f => f.Contains("task_id=" + taskId, StringComparison.Ordinal)) is { } path
                && new FileInfo(path).Length > 0)
            {
                return path;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"no log of {dagId}.{taskId} appeared under {root}");
    }
}
