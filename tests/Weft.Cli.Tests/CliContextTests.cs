namespace Weft.Cli.Tests;

// Sets process environment variables, so it must not run beside other in-process tests.
[CollectionDefinition(nameof(CliContextTests), DisableParallelization = true)]
public sealed class CliContextCollection;

[Collection(nameof(CliContextTests))]
public sealed class CliContextTests
{
    private static CliContext Context(params string[] args) =>
        new(WeftCli.BuildRootCommand().Parse(args), TextWriter.Null, TextWriter.Null);

    [Fact]
    public void GlobalOptions_AfterTheSubcommand_AreRead()
    {
        var context = Context("plan", "x.yaml", "--json", "--quiet", "--verbose", "--home", "h", "--dags", "d", "--db", "postgres://u:p@db:5432/weft");

        Assert.True(context.Json);
        Assert.True(context.Quiet);
        Assert.True(context.Verbose);
        Assert.Equal(Path.GetFullPath("h"), context.Home);
        Assert.Equal(Path.GetFullPath("d"), context.DagsFolder);
        Assert.True(context.IsPostgres);
    }

    [Fact]
    public void GlobalOptions_Absent_FallBackToEnvironmentThenDefaults()
    {
        var saved = new[] { "WEFT_HOME", "WEFT_DAGS", "WEFT_DB" }.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable("WEFT_HOME", "env-home");
            Environment.SetEnvironmentVariable("WEFT_DAGS", null);
            Environment.SetEnvironmentVariable("WEFT_DB", null);

            var fromEnvironment = Context("plan", "x.yaml");
            Assert.Equal(Path.GetFullPath("env-home"), fromEnvironment.Home);
            Assert.Equal(Path.GetFullPath("dags"), fromEnvironment.DagsFolder);
            Assert.Equal(Path.Combine(Path.GetFullPath("env-home"), "weft.db"), fromEnvironment.Database);
            Assert.False(fromEnvironment.IsPostgres);

            Assert.Equal(Path.GetFullPath("opt-home"), Context("plan", "x.yaml", "--home", "opt-home").Home);

            Environment.SetEnvironmentVariable("WEFT_HOME", null);
            Assert.Equal(Path.GetFullPath(".weft"), Context("plan", "x.yaml").Home);
        }
        finally
        {
            foreach (var (key, value) in saved)
            {
                Environment.SetEnvironmentVariable(key, value);
            }
        }
    }
}
