using System.CommandLine;

namespace Weft.Cli.Tests;

/// <summary>The command tree built for one command must parse that command line as the whole tree does.</summary>
public sealed class WeftCliCommandTreeTests
{
    [Fact]
    public void Commands_ListedNames_AreTheCommandsNames()
    {
        var names = WeftCli.BuildRootCommand().Subcommands.Select(c => c.Name).ToArray();

        Assert.Equal(WeftCli.Commands.Select(c => c.Name), names);
        Assert.Equal(names.Length, names.Distinct().Count());
    }

    [Theory]
    [InlineData("run", "run", "dag.yaml", "--quiet")]
    [InlineData("run", "--home", "h", "--db", "h/w.db", "run", "dag.yaml")]
    [InlineData("runs", "--json", "runs", "list")]
    [InlineData("validate", "--dags", "validate", "validate")]
    [InlineData("", "--version")]
    [InlineData(null)]
    [InlineData(null, "--help")]
    [InlineData(null, "valdate", "dags")]
    [InlineData(null, "--home", "h")]
    [InlineData(null, "--", "run")]
    public void CommandName_IsTheFirstCommandWord(string? expected, params string[] args)
    {
        Assert.Equal(expected, WeftCli.CommandName(args));
    }

    [Theory]
    [InlineData("run", "dag.yaml", "--parallelism", "2", "-p", "a=1", "--quiet")]
    [InlineData("--json", "runs", "list", "etl", "--state", "failed", "-n", "5")]
    [InlineData("tasks", "clear", "run_1", "extract", "--failed", "-y")]
    [InlineData("validate", "dags", "--bogus")]
    public void OneCommandTree_ParsesLikeTheWholeTree(params string[] args)
    {
        var whole = WeftCli.BuildRootCommand().Parse(args);
        var one = WeftCli.BuildRootCommand(WeftCli.CommandName(args)).Parse(args);

        Assert.Equal(whole.Errors.Select(e => e.Message), one.Errors.Select(e => e.Message));
        Assert.Equal(whole.CommandResult.Command.Name, one.CommandResult.Command.Name);
        Assert.Equal(Describe(whole), Describe(one));
    }

    private static string Describe(ParseResult result) => string.Join(
        " | ", result.CommandResult.Children.Select(c => c switch
        {
            System.CommandLine.Parsing.OptionResult o => $"{o.Option.Name}={string.Join(',', o.Tokens.Select(t => t.Value))}",
            System.CommandLine.Parsing.ArgumentResult a => $"{a.Argument.Name}={string.Join(',', a.Tokens.Select(t => t.Value))}",
            _ => c.ToString(),
        }));
}
