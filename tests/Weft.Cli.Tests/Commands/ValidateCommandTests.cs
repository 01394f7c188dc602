using System.Text.Json;

namespace Weft.Cli.Tests.Commands;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Validate_GoodFolder_RecursesAndExitsZero()
    {
        _dir.Write("dags/diamond.yaml", Dags.Diamond);
        _dir.Write("dags/nested/deeper/diamond.json", Dags.DiamondJson);
        _dir.Write("dags/notes.txt", "not a DAG");

        var result = await _dir.Weft().RunAsync("validate", "dags");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["validated 2 DAG files: 2 ok, 0 with errors"], result.StdoutLines);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task Validate_BadFile_PrintsEveryErrorAsFileLineColAndExitsTwo()
    {
        _dir.Write("dags/diamond.yaml", Dags.Diamond);
        _dir.Write("dags/bad.yaml", Dags.Bad);

        var result = await _dir.Weft().RunAsync("validate", "dags");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(2, result.StderrLines.Length);
        Assert.All(result.StderrLines, line => Assert.Matches(@"^dags[/\\]bad\.yaml:\d+:\d+: error: .+$", line));
        Assert.Contains(result.StderrLines, l => l.Contains(":5:5: error: ") && l.Contains("retires") && l.Contains("retries"));
        Assert.Contains(result.StderrLines, l => l.Contains("ghost"));
        Assert.Equal(["validated 2 DAG files: 1 ok, 1 with errors"], result.StdoutLines);
    }

    [Fact]
    public async Task Validate_SurprisingCron_WarnsAndExitsZero()
    {
        _dir.Write("sevens.yaml", """
            id: sevens
            schedule: "*/7 * * * *"
            start_date: 2024-01-01
            tasks:
              - id: a
                command: echo a
            """);

        var result = await _dir.Weft().RunAsync("validate", "sevens.yaml");

        Assert.True(result.ExitCode == 0, result.ToString());
        var warning = Assert.Single(result.StderrLines);
        Assert.StartsWith("sevens.yaml:2:11: warning: schedule '*/7 * * * *': ", warning, StringComparison.Ordinal);
        Assert.Contains("restarts at each hour", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_Quiet_PrintsOnlyDiagnostics()
    {
        _dir.Write("bad.yaml", Dags.Bad);

        var result = await _dir.Weft().RunAsync("validate", "bad.yaml", "--quiet");

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Equal(2, result.StderrLines.Length);
    }

    [Fact]
    public async Task Validate_MissingPath_ReportsItAndStillValidatesTheRest()
    {
        _dir.Write("diamond.yaml", Dags.Diamond);

        var result = await _dir.Weft().RunAsync("validate", "diamond.yaml", "nope");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(["weft: error: no such file or folder 'nope'"], result.StderrLines);
        Assert.Equal(["validated 1 DAG file: 1 ok, 0 with errors"], result.StdoutLines);
    }

    [Fact]
    public async Task Validate_Json_ListsFilesAndDiagnostics()
    {
        _dir.Write("dags/a_diamond.yaml", Dags.Diamond);
        _dir.Write("dags/bad.yaml", Dags.Bad);

        var result = await _dir.Weft().RunAsync("validate", "dags", "--json");

        Assert.Equal(2, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var files = json.RootElement.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(2, files.Count);
        var good = files.Single(f => f.GetProperty("file").GetString()!.EndsWith("a_diamond.yaml", StringComparison.Ordinal));
        Assert.True(good.GetProperty("valid").GetBoolean());
        Assert.Equal("diamond", good.GetProperty("dag_id").GetString());
        var bad = files.Single(f => !f.GetProperty("valid").GetBoolean());
        var first = bad.GetProperty("diagnostics")[0];
        Assert.Equal("error", first.GetProperty("severity").GetString());
        Assert.Equal(5, first.GetProperty("line").GetInt32());
        Assert.Equal(5, first.GetProperty("column").GetInt32());
        Assert.EndsWith("bad.yaml", first.GetProperty("file").GetString());
        Assert.Contains("retires", first.GetProperty("message").GetString());
    }
}
