using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Weft.Tests.PostgreSql;

/// <summary>
/// A host on PostgreSQL (the Weft.PostgreSql package), against the server named by <c>WEFT_TEST_POSTGRES</c>;
/// without one the test fails saying how to get one (scripts/test.sh starts it).
/// </summary>
public sealed class UsePostgreSqlTests
{
    [Fact]
    public async Task RunAsync_OnPostgreSql_RunsTheDag()
    {
        var folder = TestHosts.NewFolder();
        var dag = Dag.Create("pg")
            .Task("a", (ctx, ct) => { ctx.SetOutput("x", "1"); return Task.CompletedTask; })
            .Task("b", t => t.Command("echo \"y=${{ tasks.a.outputs.x }}2\" >> \"$WEFT_OUTPUT\"").DependsOn("a"))
            .Build();
        using var host = Build(folder, weft => weft.AddDag(dag).AddWorker());
        await host.StartAsync();
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var result = await host.Services.GetRequiredService<IWeftClient>().RunAsync("pg", null, limit.Token);

            Assert.Equal("success", result.State);
            Assert.Equal("12", result.Tasks["b"].Outputs["y"]);
            Assert.False(File.Exists(Path.Combine(folder, "weft.db")));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task AddWorker_QueueA_OnPostgreSql_RunsTheTaskOfQueueA()
    {
        // The host's queue worker is woken by LISTEN/NOTIFY here (SQLite has only its poll).
        var folder = TestHosts.NewFolder();
        var dags = Path.Combine(folder, "dags");
        Directory.CreateDirectory(dags);
        File.WriteAllText(Path.Combine(dags, "pg_queue.yaml"), """
            id: pg_queue
            tasks:
              - id: on_a
                queue: a
                command: echo "ran=on a" >> "$WEFT_OUTPUT"
            """);
        using var host = Build(folder, weft => weft.AddDagsFolder(dags).AddWorker("a"));
        await host.StartAsync();
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var result = await host.Services.GetRequiredService<IWeftClient>().RunAsync("pg_queue", null, limit.Token);

            Assert.Equal("success", result.State);
            Assert.Equal("on a", result.Tasks["on_a"].Outputs["ran"]);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static IHost Build(string folder, Action<WeftBuilder> configure)
    {
        var url = Environment.GetEnvironmentVariable("WEFT_TEST_POSTGRES");
        Assert.False(string.IsNullOrWhiteSpace(url),
            "WEFT_TEST_POSTGRES is not set: run scripts/test.sh, or eval the export line scripts/ensure-postgres.sh prints");
        var schema = "lib_" + Guid.NewGuid().ToString("N")[..10];
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder, DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddWeft(weft =>
        {
            weft.UsePostgreSql(url + (url!.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "search_path=" + schema)
                .Configure(o => o.Home = Path.Combine(folder, ".weft"));
            configure(weft);
        });
        return builder.Build();
    }
}
