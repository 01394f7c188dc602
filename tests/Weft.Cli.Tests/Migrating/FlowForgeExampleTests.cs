using Weft.Cli.Tests.EngineRuns;

namespace Weft.Cli.Tests.Migrating;

/// <summary>examples/migrating/flowforge: a pipeline of Python functions, and what a python task does with a function.</summary>
public sealed class FlowForgeExampleTests : IDisposable
{
    private static readonly string Folder = Path.Combine(Machine.RepositoryRoot(), "examples", "migrating", "flowforge");

    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Pipeline_CallsTheFunctions_AndPassesTheirReturnValuesOn()
    {
        var run = await EngineRun.StartAsync(_dir.Weft(), Path.Combine(Folder, "pipeline.yaml"), "--param", "city=Delft");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("Delft", run.Output("extract", "city"));
        Assert.Equal("[10.0, 11.5, 13.0, 14.5]", run.Output("extract", "readings"));
        Assert.Equal("12.25", run.Output("summarize", "return_value"));
        Assert.Equal(3, run.Task("extract").GetProperty("max_tries").GetInt32());
        var log = await _dir.Weft().RunAsync("logs", run.RunId, "report");
        Assert.Contains("mean in Delft is 12.25", log.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Function_ThatRaises_FailsTheAttemptWithItsTracebackInTheLog()
    {
        _dir.Write("jobs/steps.py", """
            def boom(n):
                raise ValueError(f"bad n: {n}")

            def nothing():
                pass

            def greet(name, **rest):
                return {"greeting": "hi " + name, "extra": sorted(rest), "multi": "a\nb"}
            """);
        var dag = _dir.Write("jobs/dag.yaml", """
            id: py
            params: { n: 3, name: ann }
            tasks:
              - { id: ok, type: python, function: "steps:greet", args: { other: 1 } }
              - { id: none, type: python, function: "steps:nothing" }
              - { id: bad, type: python, function: "steps:boom" }
            """);

        var run = await EngineRun.StartAsync(_dir.Weft(), dag);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("hi ann", run.Output("ok", "greeting"));
        Assert.Equal("""["n", "other"]""", run.Output("ok", "extra"));
        Assert.Equal("a\nb", run.Output("ok", "multi"));
        Assert.Equal("success", run.TaskState("none"));
        Assert.Empty(run.Task("none").GetProperty("outputs").EnumerateObject());
        Assert.Equal("failed", run.TaskState("bad"));
        Assert.Contains("steps:boom", run.Task("bad").GetProperty("reason").GetString(), StringComparison.Ordinal);
        var log = await _dir.Weft().RunAsync("logs", run.RunId, "bad");
        Assert.Contains("Traceback (most recent call last)", log.Stdout, StringComparison.Ordinal);
        Assert.Contains("ValueError: bad n: 3", log.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_BadFunctionReference_IsAnErrorAtItsLine()
    {
        _dir.Write("bad.yaml", """
            id: py
            tasks:
              - id: t
                type: python
                function: "steps.boom"
            """);

        var result = await _dir.Weft().RunAsync("validate", "bad.yaml");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(result.StderrLines, l => l.StartsWith("bad.yaml:5:", StringComparison.Ordinal) && l.Contains("package.module:func"));
    }
}
