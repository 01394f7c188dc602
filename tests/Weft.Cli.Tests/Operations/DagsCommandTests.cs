using static Weft.Cli.Tests.Operations.OperationsFixture;

namespace Weft.Cli.Tests.Operations;

public sealed class DagsCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public DagsCommandTests()
    {
        _dir.Write("dags/echo.yaml", Echo);
        _dir.Write("dags/broken.yaml", Dags.Bad);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task List_ShowsGoodAndBrokenFilesWithTheLastRun()
    {
        await RunAsync(_dir, "echo");

        using var json = await JsonAsync(_dir, "dags", "list");
        var dags = json.RootElement.GetProperty("dags").EnumerateArray().ToList();

        Assert.Equal(2, json.RootElement.GetProperty("total_entries").GetInt32());
        var echo = dags.Single(d => d.GetProperty("dag_id").GetString() == "echo");
        Assert.Equal("success", echo.GetProperty("last_run_state").GetString());
        Assert.False(echo.GetProperty("is_paused").GetBoolean());
        Assert.Equal(["demo"], echo.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var broken = dags.Single(d => d.GetProperty("dag_id").ValueKind == System.Text.Json.JsonValueKind.Null);
        Assert.EndsWith("broken.yaml", broken.GetProperty("file").GetString());
        Assert.Contains(broken.GetProperty("errors").EnumerateArray(), e => e.GetString()!.Contains("retires"));

        var text = await _dir.Weft().RunAsync("dags", "list");
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains(text.StdoutLines, l => l.StartsWith("echo ", StringComparison.Ordinal) && l.Contains("success"));
    }

    [Fact]
    public async Task PauseAndUnpause_RegisterTheDagAndFlipTheFlag()
    {
        var pause = await _dir.Weft().RunAsync("dags", "pause", "echo");
        Assert.True(pause.ExitCode == 0, pause.ToString());
        using (var paused = await JsonAsync(_dir, "dags", "show", "echo"))
        {
            Assert.True(paused.RootElement.GetProperty("is_paused").GetBoolean());
            Assert.True(paused.RootElement.GetProperty("is_registered").GetBoolean());
            Assert.Equal(["say", "quiet"], paused.RootElement.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("task_id").GetString()));
        }

        using var unpause = await JsonAsync(_dir, "dags", "unpause", "echo");
        Assert.False(unpause.RootElement.GetProperty("is_paused").GetBoolean());
        using var list = await JsonAsync(_dir, "dags", "list");
        Assert.False(list.RootElement.GetProperty("dags").EnumerateArray().Single(d => d.GetProperty("dag_id").GetString() == "echo").GetProperty("is_paused").GetBoolean());
    }

    [Fact]
    public async Task UnknownDag_ExitsOne()
    {
        var show = await _dir.Weft().RunAsync("dags", "show", "nothing");
        var pause = await _dir.Weft().RunAsync("dags", "pause", "nothing");

        Assert.True(show.ExitCode == 1, show.ToString());
        Assert.StartsWith("weft: error: no DAG 'nothing'", show.StderrLines[0]);
        Assert.True(pause.ExitCode == 1, pause.ToString());
    }
}
