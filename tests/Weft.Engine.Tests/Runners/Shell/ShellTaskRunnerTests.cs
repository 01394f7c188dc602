using System.Collections.Immutable;
using Weft.Core.Dags;
using Weft.Engine.Runners;
using Weft.Engine.Runners.Shell;

namespace Weft.Engine.Tests.Runners.Shell;

/// <summary>Every behaviour holds whether plain commands are started directly or through bash.</summary>
public sealed class ShellTaskRunnerTests : IDisposable
{
    private readonly AttemptFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private static ShellTaskRunner Runner(bool direct) => new(new ShellRunnerOptions(DirectStart: direct));

    private Task<TaskResult> RunAsync(string command, bool direct) =>
        Runner(direct).RunAsync(_fx.Context(AttemptFixture.Shell(command)), CancellationToken.None);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_True_Succeeds(bool direct)
    {
        var result = await RunAsync("true", direct);

        Assert.Equal(TaskOutcome.Success, result.Outcome);
        Assert.Equal(0, result.ExitCode);
        Assert.False(File.Exists(_fx.Log.Path)); // nothing written, nothing created
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_False_FailsWithExitCode1(bool direct)
    {
        var result = await RunAsync("false", direct);

        Assert.Equal(TaskOutcome.Failed, result.Outcome);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("exit code 1", result.Reason);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_ExitCode_PassesThrough(bool direct)
    {
        _fx.WriteFile("dags/exitwith", "#!/bin/sh\necho \"leaving with $1\"\nexit \"$1\"\n", executable: true);

        var result = await RunAsync("./exitwith 42", direct);

        Assert.Equal(42, result.ExitCode);
        Assert.Equal("exit code 42", result.Reason);
        Assert.Equal(["leaving with 42"], _fx.Stdout());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_SkipCode_Skips(bool direct)
    {
        _fx.WriteFile("dags/exitwith", "#!/bin/sh\nexit \"$1\"\n", executable: true);
        var task = AttemptFixture.Shell("./exitwith 7") with { SkipOnExitCode = 7 };

        var result = await Runner(direct).RunAsync(_fx.Context(task), CancellationToken.None);

        Assert.Equal(TaskOutcome.Skipped, result.Outcome);
        Assert.Equal(7, result.ExitCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_DefaultSkipCode99_Skips(bool direct)
    {
        _fx.WriteFile("dags/exitwith", "#!/bin/sh\nexit \"$1\"\n", executable: true);

        var result = await RunAsync("./exitwith 99", direct);

        Assert.Equal(TaskOutcome.Skipped, result.Outcome);
    }

    [Theory]
    [InlineData(true, "no-such-program-weft arg")]
    [InlineData(false, "no-such-program-weft arg")]
    [InlineData(true, "./no-such-file-weft")]
    public async Task RunAsync_MissingProgram_Exits127(bool direct, string command)
    {
        var result = await RunAsync(command, direct);

        Assert.Equal(TaskOutcome.Failed, result.Outcome);
        Assert.Equal(127, result.ExitCode);
        Assert.Matches("command not found|No such file", _fx.LogText());
    }

    [Fact]
    public async Task RunAsync_ExecutableWithoutShebang_RunsAsShellScript()
    {
        // exec fails with ENOEXEC on the direct path; bash then runs the file as a script, as it would have anyway.
        _fx.WriteFile("dags/noshebang", "echo from-noshebang\n", executable: true);

        var result = await RunAsync("./noshebang", direct: true);

        Assert.Equal(TaskOutcome.Success, result.Outcome);
        Assert.Equal(["from-noshebang"], _fx.Stdout());
    }

    [Fact]
    public async Task RunAsync_FailingLineInTheMiddle_FailsTheTask()
    {
        // -e and pipefail: a failing command in a pipeline or a list fails the task, as in GitHub Actions.
        var result = await RunAsync("false | cat\necho not reached", direct: true);

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(_fx.Stdout());
    }

    [Fact]
    public async Task RunAsync_StdoutAndStderr_AreLoggedLineByLine()
    {
        var result = await RunAsync("echo one; echo two >&2; echo three", direct: true);

        Assert.Equal(TaskOutcome.Success, result.Outcome);
        var lines = _fx.LogLines();
        Assert.Contains("[stdout] one", lines);
        Assert.Contains("[stderr] two", lines);
        Assert.Contains("[stdout] three", lines);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \[stdout\] one$", File.ReadAllLines(_fx.Log.Path)[0]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_Environment_HasWeftVariables(bool direct)
    {
        _fx.SetParam("date", "2024-01-01");
        _fx.SetParam("n", 3);
        var task = AttemptFixture.Shell("env") with { Env = new Dictionary<string, string> { ["MODE"] = "full-${{ params.date }}" }.ToImmutableDictionary() };

        var result = await Runner(direct).RunAsync(_fx.Context(task, attempt: 2), CancellationToken.None);

        Assert.Equal(TaskOutcome.Success, result.Outcome);
        var env = _fx.Stdout().Where(l => l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split('=', 2)).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Last()[1]);
        Assert.Equal("test_dag", env["WEFT_DAG_ID"]);
        Assert.Equal("manual__2026-11-22T10:00:00.000Z", env["WEFT_RUN_ID"]);
        Assert.Equal("t", env["WEFT_TASK_ID"]);
        Assert.Equal("2", env["WEFT_ATTEMPT"]);
        Assert.Equal("2026-11-22T10:00:00.000Z", env["WEFT_LOGICAL_DATE"]);
        Assert.Equal("2026-11-21T10:00:00.000Z", env["WEFT_DATA_INTERVAL_START"]);
        Assert.Equal("2026-11-22T10:00:00.123Z", env["WEFT_DATA_INTERVAL_END"]);
        Assert.Equal("{\"date\":\"2024-01-01\",\"n\":3}", env["WEFT_PARAMS"]);
        Assert.StartsWith(_fx.TmpDir, env["WEFT_OUTPUT"], StringComparison.Ordinal);
        Assert.Equal(_fx.TmpDir, env["WEFT_TMP"]);
        Assert.Equal(_fx.TmpDir, env["TMP_DIR"]);
        Assert.Equal(_fx.DagDir, env["PWD"]);
        Assert.Equal("full-2024-01-01", env["MODE"]);
        Assert.True(env.ContainsKey("PATH")); // the engine's environment is inherited
    }

    [Fact]
    public async Task RunAsync_Outputs_SingleAndMultiLine()
    {
        const string command = """
            echo "rows=42" >> "$WEFT_OUTPUT"
            printf 'notes<<EOF\nfirst line\nsecond line\nEOF\n' >> "$WEFT_OUTPUT"
            echo "rows=43" >> "$WEFT_OUTPUT"
            """;

        var result = await RunAsync(command, direct: true);

        Assert.Equal(TaskOutcome.Success, result.Outcome);
        Assert.Equal("43", result.Outputs["rows"]);
        Assert.Equal("first line\nsecond line", result.Outputs["notes"]);
    }

    [Fact]
    public async Task RunAsync_OutputFile_IsFreshForEachAttempt()
    {
        var first = await Runner(true).RunAsync(_fx.Context(AttemptFixture.Shell("echo a=1 >> $WEFT_OUTPUT"), 1), CancellationToken.None);
        var second = await Runner(true).RunAsync(_fx.Context(AttemptFixture.Shell("test ! -s $WEFT_OUTPUT; echo b=2 >> $WEFT_OUTPUT"), 2), CancellationToken.None);

        Assert.Equal("1", first.Outputs["a"]);
        Assert.Equal(["b"], second.Outputs.Keys);
    }

    [Theory]
    [InlineData("x; rm -rf /tmp/should-not-exist")]
    [InlineData("it's $(touch /tmp/should-not-exist) `id` \"q\" \\ $HOME *")]
    [InlineData("  two  spaces\tand tab ")]
    [InlineData("")]
    public async Task RunAsync_ParamWithShellSyntax_IsOneLiteralWord(string value)
    {
        var marker = Directory.CreateDirectory(Path.Combine(_fx.Root, "should-not-exist")).FullName;
        _fx.SetParam("p", value.Replace("/tmp/should-not-exist", marker, StringComparison.Ordinal));
        var expected = value.Replace("/tmp/should-not-exist", marker, StringComparison.Ordinal);

        var result = await RunAsync("printf '%s|%s\\n' ${{ params.p }} \"[${{ params.p }}]\"", direct: true);

        Assert.Equal(TaskOutcome.Success, result.Outcome);
        Assert.Equal([$"{expected}|[{expected}]"], _fx.Stdout());
        Assert.True(Directory.Exists(marker));
    }

    [Fact]
    public async Task RunAsync_PlainParam_StaysDirectAndExact()
    {
        _fx.SetParam("day", "2024-01-01");

        var result = await RunAsync("echo day=${{ params.day }}", direct: true);

        Assert.Equal(["day=2024-01-01"], _fx.Stdout());
        Assert.Equal(TaskOutcome.Success, result.Outcome);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_WorkingDir_ResolvedAgainstDagFolder(bool direct)
    {
        var sub = Directory.CreateDirectory(Path.Combine(_fx.DagDir, "sub")).FullName;
        var task = AttemptFixture.Shell("pwd -P") with { WorkingDir = "sub" };
        var taskDirect = AttemptFixture.Shell("/bin/pwd -P") with { WorkingDir = "sub" };

        var result = await Runner(direct).RunAsync(_fx.Context(direct ? taskDirect : task), CancellationToken.None);

        Assert.Equal(TaskOutcome.Success, result.Outcome);
        Assert.Equal([sub], _fx.Stdout());
    }

    [Fact]
    public async Task RunAsync_DefaultWorkingDir_IsDagFolder()
    {
        await RunAsync("/bin/pwd", direct: true);

        Assert.Equal([_fx.DagDir], _fx.Stdout());
    }

    [Fact]
    public async Task RunAsync_MissingWorkingDir_FailsWithReason()
    {
        var task = AttemptFixture.Shell("true") with { WorkingDir = "nope" };

        var result = await Runner(true).RunAsync(_fx.Context(task), CancellationToken.None);

        Assert.Equal(TaskOutcome.Failed, result.Outcome);
        Assert.Contains("working directory not found", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnknownSecret_FailsWithoutRunning()
    {
        var result = await RunAsync("echo ${{ secrets.api_token }}", direct: true);

        Assert.Equal(TaskOutcome.Failed, result.Outcome);
        Assert.Contains("unknown secret 'api_token'", result.Reason, StringComparison.Ordinal);
        Assert.Null(result.ExitCode);
    }

    [Fact]
    public async Task RunAsync_Secret_IsMaskedInTheLog()
    {
        _fx.Secrets["api_token"] = "s3cr3t-value";

        var result = await RunAsync("echo token=${{ secrets.api_token }}; echo \"$TOKEN\"", direct: true);

        Assert.Equal(TaskOutcome.Success, result.Outcome);
        Assert.Equal(["token=***", ""], _fx.Stdout());
        Assert.DoesNotContain("s3cr3t", File.ReadAllText(_fx.Log.Path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TaskEnvOverridesPath_DirectStartUsesIt()
    {
        var bin = Directory.CreateDirectory(Path.Combine(_fx.Root, "bin")).FullName;
        _fx.WriteFile("bin/weft-hello", "#!/bin/sh\necho hello from bin\n", executable: true);
        var task = AttemptFixture.Shell("weft-hello") with
        {
            Env = new Dictionary<string, string> { ["PATH"] = bin + ":/usr/bin:/bin" }.ToImmutableDictionary(),
        };

        var result = await Runner(true).RunAsync(_fx.Context(task), CancellationToken.None);

        Assert.Equal(TaskOutcome.Success, result.Outcome);
        Assert.Equal(["hello from bin"], _fx.Stdout());
    }
}
