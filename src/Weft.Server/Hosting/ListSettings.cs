using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace Weft.Server.Hosting;

/// <summary>
/// Lets a list setting be given as one comma-separated value (<c>--Server:CorsOrigins=a,b</c>,
/// <c>WEFT_SERVER__CORSORIGINS=a,b</c>). The configuration binder only fills an array from indexed keys
/// (<c>Server:CorsOrigins:0</c>) and silently ignores a single value, so the value is split into those keys.
/// </summary>
internal static class ListSettings
{
    /// <summary>The settings of <see cref="ServerOptions"/> that hold lists.</summary>
    private static readonly string[] Keys =
    [
        $"{ServerOptions.Section}:{nameof(ServerOptions.CorsOrigins)}",
        $"{ServerOptions.Section}:{nameof(ServerOptions.KnownProxies)}",
    ];

    /// <summary>Adds, with the highest precedence, the indexed form of every list setting given as one value.</summary>
    public static void Expand(IConfigurationManager configuration)
    {
        var expanded = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in Keys)
        {
            if (configuration[key] is not { } single)
            {
                continue;
            }

            var items = single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            for (var i = 0; i < items.Length; i++)
            {
                expanded[$"{key}:{i}"] = items[i];
            }
        }

        if (expanded.Count > 0)
        {
            configuration.Sources.Add(new MemoryConfigurationSource { InitialData = expanded });
        }
    }
}
