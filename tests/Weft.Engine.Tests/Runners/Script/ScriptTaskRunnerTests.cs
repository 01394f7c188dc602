using Weft.Core.Dags;
using Weft.Engine.Runners;
using Weft.Engine.Runners.Script;

namespace Weft.Engine.Tests.Runners.Script;

public sealed class ScriptTaskRunnerTests : IDisposable
{
    private readonly AttemptFixture _fx = new();
    private readonly ScriptTaskRunner _runner = new();

    public void Dispose() => _fx.Dispose();

    private static TaskDefinition Script(string script, params string[] args) =>
        new() { Id = "s", Type = TaskType.Script, Script = script, Args = [.. args] };

    [Fact]
    public async Task RunAsync_ShellScriptWithArgs_RunsWithBash()
    {
        _fx.WriteFile("tasks/hello.sh", "printf '[%s]\\n' \"$@\"\necho \"count=$#\" >> \"$WEFT_OUTPUT\"\n");
        _fx.SetParam("name", "world; rm -rf /");

        var result = await _runner.RunAsync(_fx.Context(Script("hello.sh", "a b", "${{ params.name }}", "--flag")), CancellationToken.None);

        Assert.Equal(TaskOutcome.Success, result.Outcome);
        Assert.Equal(["[a b]", "[world; rm -rf /]", "[--flag]"], _fx.Stdout());
        Assert.Equal("3", result.Outputs["count"]);
    }

    [Fact]
    public async Task RunAsync_PythonScriptWithMapArgs_RunsWithPython3()
    {
        // A map `args: {day: 2024-01-01, limit: 5}` reaches the runner flattened to --key value.
        _fx.WriteFile("tasks/etl.py", """
            import os, sys
            print("args:", sys.argv[1:])
            print("task:", os.environ["WEFT_TASK_ID"], file=sys.stderr)
            with open(os.environ["WEFT_OUTPUT"], "a") as f:
                f.write("rows=42\nsummary<<END\nok\ndone\nEND\n")
            """);

        var result = await _runner.RunAsync(_fx.Context(Script("etl.py", "--day", "2024-01-01", "--limit", "5")), CancellationToken.None);

        Assert.Equal(TaskOutcome.Success, result.Outcome);
        Assert.Contains("[stdout] args: ['--day', '2024-01-01', '--limit', '5']", _fx.LogLines());
        Assert.Contains("[stderr] task: s", _fx.LogLines());
        Assert.Equal("42", result.Outputs["rows"]);
        Assert.Equal("ok\ndone", result.Outputs["summary"]);
    }

    [Fact]
    public async Task RunAsync_PythonExitCode_PassesThroughAndSkipCodeSkips()
    {
        _fx.WriteFile("tasks/code.py", "import sys\nsys.exit(int(sys.argv[1]))\n");

        var failed = await _runner.RunAsync(_fx.Context(Script("code.py", "3")), CancellationToken.None);
        var skipped = await _runner.RunAsync(_fx.Context(Script("code.py", "99")), CancellationToken.None);

        Assert.Equal((TaskOutcome.Failed, 3), (failed.Outcome, failed.ExitCode));
        Assert.Equal((TaskOutcome.Skipped, 99), (skipped.Outcome, skipped.ExitCode));
    }

    [Fact]
    public async Task RunAsync_ExecutableWithoutKnownExtension_RunsDirectly()
    {
        _fx.WriteFile("tasks/tool", "#!/bin/sh\necho \"tool $1\"\n", executable: true);

        var result = await _runner.RunAsync(_fx.Context(Script("tool", "x")), CancellationToken.None);

        Assert.Equal(TaskOutcome.Success, result.Outcome);
        Assert.Equal(["tool x"], _fx.Stdout());
    }

    [Fact]
    public async Task RunAsync_NotExecutable_Fails126()
    {
        _fx.WriteFile("tasks/tool", "#!/bin/sh\necho hi\n");

        var result = await _runner.RunAsync(_fx.Context(Script("tool")), CancellationToken.None);

        Assert.Equal(TaskOutcome.Failed, result.Outcome);
        Assert.Equal(126, result.ExitCode);
    }

    [Fact]
    public async Task RunAsync_TasksDirBeforeDagFolder()
    {
        _fx.WriteFile("tasks/which.sh", "echo tasks-dir\n");
        _fx.WriteFile("dags/which.sh", "echo dag-folder\n");
        _fx.WriteFile("dags/only-here.sh", "echo dag-folder-only\n");

        await _runner.RunAsync(_fx.Context(Script("which.sh")), CancellationToken.None);
        await _runner.RunAsync(_fx.Context(Script("only-here.sh")), CancellationToken.None);

        Assert.Equal(["tasks-dir", "dag-folder-only"], _fx.Stdout());
    }

    [Fact]
    public async Task RunAsync_MissingScript_NamesThePathsTried()
    {
        var result = await _runner.RunAsync(_fx.Context(Script("nope.py")), CancellationToken.None);

        Assert.Equal(TaskOutcome.Failed, result.Outcome);
        Assert.Contains(Path.Combine(_fx.TasksDir, "nope.py"), result.Reason, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_fx.DagDir, "nope.py"), result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Cancelled_KillsTheScriptAndItsChildren()
    {
        var marker = $"30.{Random.Shared.Next(100_000, 999_999)}";
        _fx.WriteFile("tasks/slow.sh", $"sleep {marker} &\nsleep {marker}\n");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var result = await _runner.RunAsync(_fx.Context(Script("slow.sh")), cts.Token);

        Assert.Equal("cancelled", result.Reason);
        await Task.Delay(200);
        using var pgrep = System.Diagnostics.Process.Start("pgrep", ["-f", $"sleep {marker}"]);
        await pgrep.WaitForExitAsync();
        Assert.Equal(1, pgrep.ExitCode); // 1: no process matched
    }
}
