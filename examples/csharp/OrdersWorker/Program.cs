using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrdersWorker;
using Weft;

// dotnet run                  runs the worker service: the orders DAG at 01:30 every night, until stopped
// dotnet run -- --run-once    runs the DAG once now, prints the outcome and exits
using var host = OrdersHost.Build(args.Where(a => a != "--run-once").ToArray());
if (!args.Contains("--run-once"))
{
    await host.RunAsync();
    return 0;
}

await host.StartAsync();
var result = await host.Services.GetRequiredService<IWeftClient>().RunAsync("orders");
foreach (var (id, task) in result.Tasks)
{
    Console.WriteLine($"{id}: {task.State} {string.Join(' ', task.Outputs.Select(o => $"{o.Key}={o.Value}"))}");
}

Console.WriteLine($"run {result.RunId}: {result.State}");
await host.StopAsync();
return result.Succeeded ? 0 : 1;
