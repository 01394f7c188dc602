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
        var url = Environment.GetEnvironmentVariable("WEFT_TEST_POSTGRES");
        Assert.False(string.IsNullOrWhiteSpace(url),
            "WEFT_TEST_POSTGRES is not set: run scripts/test.sh, or eval the export line scripts/ensure-postgres.sh prints");
        var schema = "lib_" + Guid.NewGuid().ToString("N")[..10];
        var folder = TestHosts.NewFolder();
        var dag = Dag.Create("pg")
            .Task("a", (ctx, ct) => { ctx.SetOutput("x", "1"); return Task.CompletedTask; })
            .Task("b", t => t.Command("echo \"y=${{ tasks.a.outputs.x }}2\" >> \"$WEFT_OUTPUT\"").DependsOn("a"))
            .Build();

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder, DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddWeft(weft => weft
            .UsePostgreSql(url + (url!.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "search_path=" + schema)
            .Configure(o => o.Home = Path.Combine(folder, ".weft"))
            .AddDag(dag)
            .AddWorker());
        using var host = builder.Build();
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
}
