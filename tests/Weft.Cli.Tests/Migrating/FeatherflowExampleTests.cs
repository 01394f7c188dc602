using System.Text.Json;
using Weft.Cli.Tests.EngineRuns;

namespace Weft.Cli.Tests.Migrating;

/// <summary>examples/migrating/featherflow: a Featherflow flow run as its users run it.</summary>
public sealed class FeatherflowExampleTests : IDisposable
{
    private static readonly string Folder = Path.Combine(Machine.RepositoryRoot(), "examples", "migrating", "featherflow");

    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SimpleFlow_RunsWithParamsFile_AndRecordsItsVersionAndHash()
    {
        var run = await EngineRun.StartAsync(_dir.Weft(), Path.Combine(Folder, "simple_flow.json"), "--params", Path.Combine(Folder, "simple_flow.params"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("hello, featherflow!", run.Output("report", "greeting"));
        Assert.Equal(3, run.Task("report").GetProperty("max_tries").GetInt32());
        Assert.Equal("1.0.0", run.Run.GetProperty("dag_version").GetString());
        Assert.Matches("^[0-9a-f]{64}$", run.Run.GetProperty("dag_hash").GetString());

        var shown = await _dir.Weft().RunAsync("runs", "show", run.RunId, "--json");
        using var stored = JsonDocument.Parse(shown.Stdout);
        Assert.Equal("1.0.0", stored.RootElement.GetProperty("dag_version").GetString());
        Assert.Equal(run.Run.GetProperty("dag_hash").GetString(), stored.RootElement.GetProperty("dag_hash").GetString());
    }

    [Fact]
    public async Task DagsShowAndList_ShowTheVersion_ShowTakesAFile()
    {
        var show = await _dir.Weft().RunAsync("dags", "show", Path.Combine(Folder, "simple_flow.json"));
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains(show.StdoutLines, l => l.StartsWith("version", StringComparison.Ordinal) && l.Contains("1.0.0"));
        Assert.Contains(show.StdoutLines, l => l.StartsWith("schedule", StringComparison.Ordinal) && l.Contains("daily"));

        var list = await _dir.Weft().RunAsync("dags", "list", "--dags", Folder, "--json");
        Assert.True(list.ExitCode == 0, list.ToString());
        using var json = JsonDocument.Parse(list.Stdout);
        var dag = json.RootElement.GetProperty("dags").EnumerateArray().Single(d => d.GetProperty("dag_id").GetString() == "simple_flow");
        Assert.Equal("1.0.0", dag.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Schedules_ListsTheFlowWithItsScheduleInWordsAndLastRun()
    {
        var run = await EngineRun.StartAsync(_dir.Weft(), Path.Combine(Folder, "simple_flow.json"));
        Assert.True(run.ExitCode == 0, run.ToString());

        var result = await _dir.Weft().RunAsync("schedules", "--dags", Folder, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var flow = Assert.Single(json.RootElement.GetProperty("schedules").EnumerateArray());
        Assert.Equal("simple_flow", flow.GetProperty("dag_id").GetString());
        Assert.Equal("every day at 00:00", flow.GetProperty("description").GetString());
        Assert.Equal(run.RunId, flow.GetProperty("last_run_id").GetString());
        Assert.Equal("success", flow.GetProperty("last_run_state").GetString());
        Assert.False(flow.GetProperty("is_paused").GetBoolean());
        var next = DateTimeOffset.Parse(flow.GetProperty("next_run_after").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.Zero, next.UtcDateTime.TimeOfDay);
        Assert.InRange(next - DateTimeOffset.UtcNow, TimeSpan.Zero, TimeSpan.FromDays(1));

        var text = await _dir.Weft().RunAsync("schedules", "--dags", Folder);
        Assert.Contains(text.StdoutLines, l => l.StartsWith("simple_flow", StringComparison.Ordinal) && l.Contains("every day at 00:00") && l.Contains("success"));
    }

    [Fact]
    public async Task RunById_WithoutADagsFolder_SaysWhereItLooked()
    {
        var result = await _dir.Weft().RunAsync("run", "simple_flow");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(Path.Combine(_dir.Path, "dags"), result.StderrLines[0]);
        Assert.Contains("--dags", result.Stderr);
    }
}
