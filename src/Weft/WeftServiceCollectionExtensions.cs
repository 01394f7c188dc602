using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Weft.Client;
using Weft.Hosting;

namespace Weft;

/// <summary>Adds Weft to a host app.</summary>
public static class WeftServiceCollectionExtensions
{
    /// <summary>
    /// Adds Weft: the store, <see cref="IWeftClient"/>, and the hosted scheduler and worker when asked for. Options
    /// set in <paramref name="configure"/> come first; the <c>Weft</c> configuration section is bound over them;
    /// they are validated when the host starts.
    /// </summary>
    public static IServiceCollection AddWeft(this IServiceCollection services, Action<WeftBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new WeftBuilder(services);
        configure(builder);

        var options = services.AddOptions<WeftOptions>();
        foreach (var action in builder.Configurations)
        {
            options.Configure(action);
        }

        // The Weft section when the host has a configuration (a bare service collection has none).
        options.Configure<IServiceProvider>((o, sp) => sp.GetService<IConfiguration>()?.GetSection(WeftOptions.SectionName).Bind(o));
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WeftOptions>, WeftOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new WeftDags(builder.Dags));
        var factory = builder.StoreFactory;
        services.AddSingleton(sp => new WeftStore(sp.GetRequiredService<IOptions<WeftOptions>>().Value, factory, WeftLogging.Create<WeftStore>(sp)));
        services.AddSingleton(sp => new WeftRuntime(
            sp.GetRequiredService<IOptions<WeftOptions>>(), sp.GetRequiredService<WeftStore>(), sp.GetRequiredService<WeftDags>(),
            sp.GetRequiredService<TimeProvider>(), WeftLogging.Create<WeftRuntime>(sp)));
        services.AddSingleton<IWeftClient, WeftClient>();
        services.AddSingleton<WeftHostedService>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<WeftHostedService>());
        return services;
    }
}
