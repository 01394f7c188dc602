using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Weft.Hosting;

/// <summary>Loggers from the host's factory; none when the host set up no logging.</summary>
internal static class WeftLogging
{
    public static ILogger<T> Create<T>(IServiceProvider services) =>
        (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<T>();
}
