using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Weft;

namespace OrdersWorker;

/// <summary>The worker service: Weft's scheduler and worker as hosted services, settings from the <c>Weft</c> section.</summary>
public static class OrdersHost
{
    public static IHost Build(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddWeft(weft => weft
            .UseSqlite("orders.db")      // Weft:Database in appsettings.json or Weft__Database overrides it
            .AddDag(OrdersDag.Build())
            .AddScheduler()
            .AddWorker());
        return builder.Build();
    }
}
