namespace Weft.Cli.Tests.Migrating;

/// <summary>What users of other orchestrators type first, and the answers they should get.</summary>
public sealed class CommandLineHabitsTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public CommandLineHabitsTests() => _dir.Write("x.yaml", """
        id: x
        tasks:
          - id: t
            command: "true"
            pool: gpus
        """);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task UnknownCommandWithHelp_IsAnUnknownCommand()
    {
        var result = await _dir.Weft().RunAsync("NOSUCH", "--help");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("weft: error: unrecognized command or argument 'NOSUCH'", result.StderrLines[0]);
        Assert.DoesNotContain("Description:", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOptionBeforeTheFile_IsBlamedOnItself()
    {
        var result = await _dir.Weft().RunAsync("run", "--frobnicate", "x.yaml");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("weft: error: unrecognized command or argument '--frobnicate'", result.StderrLines[0]);
    }

    [Fact]
    public async Task Validate_TaskInAPoolTheDatabaseLacks_IsAWarningWithItsLine()
    {
        var set = await _dir.Weft().RunAsync("pools", "set", "gpu", "2");
        Assert.True(set.ExitCode == 0, set.ToString());

        var result = await _dir.Weft().RunAsync("validate", "x.yaml");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.StderrLines, l => l.StartsWith("x.yaml:5:", StringComparison.Ordinal) && l.Contains("warning:") && l.Contains("pool 'gpus', which does not exist; did you mean 'gpu'?"));
    }
}
