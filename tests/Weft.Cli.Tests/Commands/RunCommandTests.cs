using System.Text.Json;

namespace Weft.Cli.Tests.Commands;

public sealed class RunCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public RunCommandTests() => _dir.Write("flow/toucher.yaml", Dags.Touch);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task DryRun_PrintsThePlanAndCommandsAndRunsNothing()
    {
        var result = await _dir.Weft().RunAsync("run", "flow/toucher.yaml", "--dry-run");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("dry run", result.StdoutLines[0]);
        Assert.Contains("critical path: make -> after (length 2)", result.StdoutLines);
        Assert.Contains(result.StdoutLines, l => l.Contains("make") && l.Contains("shell") && l.Contains("touch ${{ params.name }}"));
        Assert.Contains(result.StdoutLines, l => l.Contains("after") && l.Contains("noop"));
        Assert.False(File.Exists(Path.Combine(_dir.Path, "flow", "created.txt")), "a dry run must not run tasks");
        Assert.False(File.Exists(Path.Combine(_dir.Path, "created.txt")), "a dry run must not run tasks");
    }

    [Fact]
    public async Task DryRun_Json_MergesParameters()
    {
        _dir.Write("params.json", """{"name": "from-file.txt", "count": 3}""");

        var result = await _dir.Weft().RunAsync("run", "flow/toucher.yaml", "--dry-run", "--json", "--params", "@params.json", "--param", "extra=x");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.True(root.GetProperty("dry_run").GetBoolean());
        Assert.Equal("toucher", root.GetProperty("plan").GetProperty("dag_id").GetString());
        Assert.Equal("from-file.txt", root.GetProperty("params").GetProperty("name").GetString());
        Assert.Equal(3, root.GetProperty("params").GetProperty("count").GetInt32());
        Assert.Equal("x", root.GetProperty("params").GetProperty("extra").GetString());
        Assert.Equal("touch ${{ params.name }}", root.GetProperty("tasks")[0].GetProperty("command").GetString());
        Assert.False(File.Exists(Path.Combine(_dir.Path, "flow", "from-file.txt")));
    }

    [Fact]
    public async Task DryRun_ByDagIdWithDagsOption_FindsTheDag()
    {
        var result = await _dir.Weft().RunAsync("run", "toucher", "--dry-run", "--dags", "flow");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("DAG toucher: 2 tasks, 1 edge", result.StdoutLines);
    }

    [Fact]
    public async Task Run_UnknownDagId_ExitsTwo()
    {
        var result = await _dir.Weft().RunAsync("run", "nothing_here", "--dags", "flow");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("weft: error: no such file or folder 'nothing_here'", result.StderrLines[0]);
    }

    [Theory]
    [InlineData("--param", "novalue")]
    [InlineData("--params", "[1, 2]")]
    [InlineData("--params", "{not json")]
    [InlineData("--params", """{"name": "\ud800"}""")]
    [InlineData("--parallelism", "0")]
    public async Task Run_BadOptions_ExitTwoWithOneError(string option, string value)
    {
        var result = await _dir.Weft().RunAsync("run", "flow/toucher.yaml", "--dry-run", option, value);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("weft: error: ", result.StderrLines[0]);
        Assert.Single(result.StderrLines, l => l.StartsWith("weft: error: ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("nope=1", "weft: error: unknown param 'nope' for DAG 'toucher'; known params: count, extra, name")]
    [InlineData("count=many", "weft: error: param 'count' of DAG 'toucher' must be a number (like its default 0), not string \"many\"")]
    public async Task Run_ParamTheDagDoesNotTake_ExitsTwo_AndRunsNothing(string param, string error)
    {
        var result = await _dir.Weft().RunAsync("run", "flow/toucher.yaml", "--param", param);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(error, result.StderrLines[0]);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "flow", "created.txt")), "a refused run must not run tasks");
    }

    [Fact]
    public async Task Run_NothingToRun_ExitsTwo()
    {
        var result = await _dir.Weft().RunAsync("run");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--resume", result.StderrLines[0]);
    }

    [Fact]
    public async Task Run_BadFile_PrintsDiagnosticsAndExitsTwo()
    {
        _dir.Write("bad.yaml", Dags.Bad);

        var result = await _dir.Weft().RunAsync("run", "bad.yaml", "--dry-run");

        Assert.Equal(2, result.ExitCode);
        Assert.All(result.StderrLines, line => Assert.Matches(@"^bad\.yaml:\d+:\d+: error: ", line));
    }

    // Without --dry-run the DAG really runs: the task's side effect happens and the run succeeds.
    [Fact]
    public async Task Run_WithoutDryRun_RunsTheTasks()
    {
        var result = await _dir.Weft().RunAsync("run", "flow/toucher.yaml");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(Path.Combine(_dir.Path, "flow", "created.txt")), result.ToString());
    }
}
