using System.Text.Json;

namespace Weft.Cli.Tests.Commands;

public sealed class PlanCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public PlanCommandTests() => _dir.Write("diamond.yaml", Dags.Diamond);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Plan_Diamond_ShowsLayersCriticalPathAndWidth()
    {
        var result = await _dir.Weft().RunAsync("plan", "diamond.yaml");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("DAG diamond: 4 tasks, 4 edges", result.StdoutLines);
        Assert.Contains("  layer 1: a", result.StdoutLines);
        Assert.Contains("  layer 2: b, c", result.StdoutLines);
        Assert.Contains("  layer 3: d", result.StdoutLines);
        Assert.Contains("critical path: a -> b -> d (length 3)", result.StdoutLines);
        Assert.Contains("max parallel width: 2", result.StdoutLines);
    }

    [Fact]
    public async Task Plan_Json_ParsesWithTheSameFacts()
    {
        var result = await _dir.Weft().RunAsync("--json", "plan", "diamond.yaml");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal("diamond", root.GetProperty("dag_id").GetString());
        Assert.Equal(4, root.GetProperty("task_count").GetInt32());
        Assert.Equal(4, root.GetProperty("edge_count").GetInt32());
        Assert.Equal(2, root.GetProperty("max_parallel_width").GetInt32());
        Assert.Equal(3, root.GetProperty("layers").GetArrayLength());
        Assert.Equal(["b", "c"], root.GetProperty("layers")[1].GetProperty("tasks").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(3, root.GetProperty("critical_path").GetProperty("length").GetInt32());
    }

    [Fact]
    public async Task Plan_ById_FindsTheDagInTheDagsFolderFromTheEnvironment()
    {
        _dir.Write("flows/x/diamond.yaml", Dags.Diamond);
        var weft = new WeftProcess(_dir.Path);
        weft.Environment["WEFT_DAGS"] = "flows";

        var result = await weft.RunAsync("plan", "diamond");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("max parallel width: 2", result.StdoutLines);
    }

    [Fact]
    public async Task Plan_BadFile_PrintsDiagnosticsAndExitsTwo()
    {
        _dir.Write("bad.yaml", Dags.Bad);

        var result = await _dir.Weft().RunAsync("plan", "bad.yaml");

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.All(result.StderrLines, line => Assert.Matches(@"^bad\.yaml:\d+:\d+: error: ", line));
        Assert.Equal(2, result.StderrLines.Length);
    }

    [Fact]
    public async Task Plan_Folder_ExitsTwo()
    {
        var result = await _dir.Weft().RunAsync("plan", ".");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("weft: error: '.' is a folder", result.StderrLines[0]);
    }
}
