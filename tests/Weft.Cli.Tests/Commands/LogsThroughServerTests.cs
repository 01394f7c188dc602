using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Weft.Cli.Tests.Commands;

/// <summary><c>weft logs --follow --server</c>: a log followed through the API, from a folder without the database.</summary>
public sealed class LogsThroughServerTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly TempFolder _elsewhere = new();

    public void Dispose()
    {
        _dir.Dispose();
        _elsewhere.Dispose();
    }

    [Fact]
    public async Task Follow_WaitsForTheTaskOnTheEventStream_PrintsItsLinesAsWritten_AndEndsWithIt()
    {
        _dir.Write("dags/slow.yaml", """
            id: slow
            tasks:
              - id: first
                command: sleep 1
              - id: talk
                depends_on: [first]
                command: for i in 1 2 3; do echo "line $i"; sleep 0.3; done
            """);
        using var server = new ServerProcess(_dir.Path, "--urls", "http://127.0.0.1:0");
        var (baseUrl, token) = await server.WaitForLoginUrlAsync(TimeSpan.FromSeconds(60));
        using var api = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var trigger = await api.PostAsync("/api/v1/dags/slow/dagRuns", new StringContent("{\"conf\": {}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, trigger.StatusCode);
        var runId = JsonDocument.Parse(await trigger.Content.ReadAsStringAsync()).RootElement.GetProperty("run_id").GetString()!;

        // Started while 'talk' still waits for 'first', from a folder that has no database.
        var logs = _elsewhere.Weft();
        logs.Environment["WEFT_TOKEN"] = token;
        var followed = await logs.RunAsync("logs", runId, "talk", "--follow", "--server", baseUrl.ToString(), "--dag", "slow");

        Assert.True(followed.ExitCode == 0, followed + "\n" + server.Output);
        Assert.Equal(["line 1", "line 2", "line 3"], followed.StdoutLines.Select(l => l[(l.LastIndexOf(']') + 2)..]));
        Assert.False(Directory.Exists(Path.Combine(_elsewhere.Path, ".weft")), "weft logs --server opened a local database");

        var wrongToken = _elsewhere.Weft();
        wrongToken.Environment["WEFT_TOKEN"] = "not-a-token";
        var refused = await wrongToken.RunAsync("logs", runId, "talk", "--server", baseUrl.ToString(), "--dag", "slow");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("refused the token", refused.Stderr, StringComparison.Ordinal);
    }
}
