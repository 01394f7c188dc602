using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Weft.Tests;

/// <summary>A host app of the test's own: a temporary folder holds its database and home.</summary>
internal static class TestHosts
{
    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "weft-lib-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static IHost Build(string folder, Action<WeftBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder, DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddWeft(weft =>
        {
            weft.UseSqlite(Path.Combine(folder, "weft.db")).Configure(o =>
            {
                o.Home = Path.Combine(folder, ".weft");
                o.PollInterval = TimeSpan.FromMilliseconds(100);
            });
            configure(weft);
        });
        return builder.Build();
    }
}
