using System.Text.Json;
using Npgsql;
using Weft.Cli.Tests.EngineRuns;

namespace Weft.Cli.Tests.Operations;

/// <summary>
/// <c>--db postgres://…</c> and <c>WEFT_DB</c> end to end: the weft binary runs a DAG on PostgreSQL and lists the run
/// from another process. Each test has its own schema on the server <c>WEFT_TEST_POSTGRES</c> names (<c>scripts/test.sh</c>
/// starts one), dropped at the end.
/// </summary>
public sealed class PostgresDatabaseTests : IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private readonly string _schema = "cli_" + Guid.NewGuid().ToString("N");

    private static string Server => Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)
        ?? throw new InvalidOperationException($"{PostgresFactAttribute.Variable} is not set: {PostgresFactAttribute.HowToRun}");

    private string Url => Server + "?search_path=" + _schema;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _dir.Dispose();
        if (Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable) is { Length: > 0 })
        {
            await using var connection = new NpgsqlConnection(ConnectionString(Server) + ";Pooling=false");
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [PostgresFact]
    public async Task Run_OnPostgres_SucceedsAndRunsListShowsIt()
    {
        var hello = Path.Combine(Machine.RepositoryRoot(), "examples", "dags", "hello.yaml");

        var run = await _dir.Weft().RunAsync("run", hello, "--db", Url);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("success", run.Stdout);

        var list = await _dir.Weft().RunAsync("runs", "list", "--db", Url, "--json");
        Assert.True(list.ExitCode == 0, list.ToString());
        var runs = JsonDocument.Parse(list.Stdout).RootElement.GetProperty("dag_runs");
        var listed = Assert.Single(runs.EnumerateArray());
        Assert.Equal("hello", listed.GetProperty("dag_id").GetString());
        Assert.Equal("success", listed.GetProperty("state").GetString());

        // The same database named by WEFT_DB as an Npgsql connection string.
        var weft = _dir.Weft();
        weft.Environment["WEFT_DB"] = ConnectionString(Server) + $";Search Path={_schema}";
        var byEnvironment = await weft.RunAsync("runs", "list");
        Assert.True(byEnvironment.ExitCode == 0, byEnvironment.ToString());
        Assert.Contains(listed.GetProperty("run_id").GetString()!, byEnvironment.Stdout);
        Assert.False(File.Exists(Path.Combine(_dir.Path, ".weft", "weft.db")), "no SQLite database may be made beside a PostgreSQL one");
    }

    [PostgresFact]
    public async Task WrongPassword_FailsWithExitThree_WithoutPrintingThePassword()
    {
        var wrong = new Uri(Server);
        var url = $"postgres://{Uri.UnescapeDataString(wrong.UserInfo.Split(':')[0])}:not-the-password-123@{wrong.Host}:{wrong.Port}{wrong.AbsolutePath}";

        var result = await _dir.Weft().RunAsync("runs", "list", "--db", url);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.StartsWith("weft: error: cannot open the PostgreSQL database at ", result.StderrLines[0]);
        Assert.DoesNotContain("not-the-password-123", result.Stderr + result.Stdout);
    }

    private static string ConnectionString(string url)
    {
        var uri = new Uri(url);
        var user = uri.UserInfo.Split(':', 2);
        return new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port > 0 ? uri.Port : 5432,
            Username = Uri.UnescapeDataString(user[0]),
            Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null,
            Database = uri.AbsolutePath.TrimStart('/'),
        }.ConnectionString;
    }
}
