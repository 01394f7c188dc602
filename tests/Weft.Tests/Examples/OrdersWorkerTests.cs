using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrdersWorker;

namespace Weft.Tests.Examples;

/// <summary>The worker-service example (examples/csharp/OrdersWorker) as its users start it.</summary>
public sealed class OrdersWorkerTests
{
    [Fact]
    public async Task OrdersHost_RunOnce_DelegateAndShellTasksSucceed()
    {
        var folder = TestHosts.NewFolder();
        // Command-line settings bind over what the example set in code (its orders.db in the current folder).
        using var host = OrdersHost.Build([$"--Weft:Database={Path.Combine(folder, "orders.db")}", $"--Weft:Home={Path.Combine(folder, ".weft")}", "--Logging:LogLevel:Default=Warning"]);
        await host.StartAsync();
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var result = await host.Services.GetRequiredService<IWeftClient>().RunAsync("orders", new Dictionary<string, object?> { ["orders"] = 7 }, limit.Token);

            Assert.Equal("success", result.State);
            Assert.Equal("7", result.Tasks["count"].Outputs["count"]);
            var bytes = int.Parse(result.Tasks["export"].Outputs["bytes"]);
            Assert.True(bytes > 0);
            Assert.Equal($"7 orders, export of {bytes} bytes", result.Tasks["report"].Outputs["summary"]);
            Assert.True(File.Exists(Path.Combine(folder, "orders.db")));
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
