namespace Weft.Cli.Tests;

public sealed class WeftCliTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task UnknownCommand_ExitsTwoWithOneLineErrorAndHint()
    {
        var result = await _dir.Weft().RunAsync("bogus");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("weft: error: unrecognized command or argument 'bogus'", result.StderrLines[0]);
        Assert.Equal(2, result.StderrLines.Length);
        Assert.StartsWith("hint: ", result.StderrLines[1]);
        Assert.Contains("weft --help", result.StderrLines[1]);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task MisspeltCommand_HintSuggestsTheCommand()
    {
        var result = await _dir.Weft().RunAsync("valdate", "dags");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("did you mean 'weft validate'", result.Stderr);
    }

    [Theory]
    [InlineData("validate", "--bogus", "dags")]
    [InlineData("plan", "flow.yaml", "--nope")]
    [InlineData("--nope")]
    public async Task UnknownOption_ExitsTwoWithOneLineError(params string[] args)
    {
        var result = await _dir.Weft().RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Matches("^weft: error: unrecognized command or argument '--(bogus|nope)'$", result.StderrLines[0]);
        Assert.True(result.StderrLines.Length <= 2, result.ToString());
        Assert.DoesNotContain("Usage:", result.Stderr + result.Stdout);
    }

    [Fact]
    public async Task MissingArgument_ExitsTwoWithoutDumpingHelp()
    {
        var result = await _dir.Weft().RunAsync("plan");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("weft: error: ", result.StderrLines[0]);
        Assert.Contains("weft plan --help", result.Stderr);
        Assert.Empty(result.Stdout);
    }

    [Theory]
    [InlineData]
    [InlineData("validate")]
    [InlineData("plan")]
    [InlineData("graph")]
    [InlineData("run")]
    public async Task Help_EveryCommand_ExitsZeroAndDescribesOptions(params string[] command)
    {
        var result = await _dir.Weft().RunAsync([.. command, "--help"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Usage:", result.Stdout);
        Assert.Contains("--json", result.Stdout);     // global options are listed on every command
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task RootHelp_ShowsExamplesAndEveryCommand()
    {
        var result = await _dir.Weft().RunAsync("--help");

        Assert.Contains("weft validate dags/", result.Stdout);
        Assert.Contains("weft run examples/dags/hello.yaml", result.Stdout);
        foreach (var command in new[] { "validate", "plan", "graph", "run" })
        {
            Assert.Contains($"  {command} ", result.Stdout);
        }
    }

    [Fact]
    public async Task NoCommand_PrintsHelpAndExitsTwo()
    {
        var result = await _dir.Weft().RunAsync();

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout);
    }

    [Fact]
    public async Task Version_PrintsTheVersion()
    {
        var result = await _dir.Weft().RunAsync("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Stdout.Trim());
    }

    [Theory]
    [InlineData("plan")]
    [InlineData("graph")]
    [InlineData("run")]
    public async Task MissingFile_ExitsTwoNamingIt(string command)
    {
        var result = await _dir.Weft().RunAsync(command, "nope.yaml");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("weft: error: no such file or folder 'nope.yaml'", result.StderrLines[0]);
    }
}
