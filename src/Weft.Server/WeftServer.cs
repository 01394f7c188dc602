using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging;
using Weft.Engine.Operations;
using Weft.Engine.Secrets;
using Weft.Server.Api;
using Weft.Server.Api.Models;
using Weft.Server.Auth;
using Weft.Server.Dags;
using Weft.Server.Execution;
using Weft.Server.Hosting;
using Weft.Server.Metrics;

namespace Weft.Server;

/// <summary>
/// Builds the <c>weft server</c> process: one host with Kestrel, the REST API, the DAGs folder registrar, the local
/// executor (or an injected scheduler) and the metrics exporter. Settings come from <c>appsettings.json</c> in the
/// current folder, <c>WEFT_</c> environment variables and the command line (<c>--Server:Urls=…</c>), in that order.
/// </summary>
internal static class WeftServer
{
    /// <summary>
    /// ASP.NET Core logs several lines per request at Information (request start and end, endpoint, result); at
    /// thousands of requests a second writing them costs more than answering. Start-up lines stay.
    /// </summary>
    private static readonly Dictionary<string, string?> LoggingDefaults = new(StringComparer.Ordinal)
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        // The host logs a failed start (a busy port) with its whole stack before rethrowing; `weft server` reports
        // the exception itself in one line (with the stack under --verbose). A failing background service still
        // shows: that is logged at Critical.
        ["Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host"] = "Critical",
    };

    /// <summary>Builds the application; run it with <c>RunAsync</c>.</summary>
    /// <param name="environment">The opened stores and folders.</param>
    /// <param name="args">Configuration arguments (<c>--Server:KEY=VALUE</c>).</param>
    /// <param name="configure">Last changes to the builder (tests: a test server, settings).</param>
    public static async Task<WebApplication> BuildAsync(
        ServerEnvironment environment, string[] args, Action<WebApplicationBuilder>? configure, CancellationToken cancellationToken)
    {
        // The slim builder leaves out what this server does not use (IIS integration, HTTP/3, hosting startup
        // assemblies, regex route constraints), which the process would otherwise load and keep mapped.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = Directory.GetCurrentDirectory(),
            // Never Development: that would add the developer exception page, with stack traces, to responses.
            EnvironmentName = Environments.Production,
        });
        // Lowest precedence: appsettings.json, environment and arguments can still turn these up again.
        ((IConfigurationBuilder)builder.Configuration).Sources.Insert(0, new MemoryConfigurationSource { InitialData = LoggingDefaults });
        builder.Configuration.AddEnvironmentVariables("WEFT_");
        builder.Configuration.AddCommandLine(args);
        configure?.Invoke(builder);
        ListSettings.Expand(builder.Configuration);

        var settings = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        var problems = settings.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(ServerOptions.Section, typeof(ServerOptions), problems);
        }

        // https:// URLs and Kestrel certificate settings, which the slim builder does not read by itself.
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseUrls(settings.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes;
        });

        var vault = await SecretVault.OpenAsync(environment.Access, environment.Home, cancellationToken);
        AddServices(builder.Services, environment, vault, settings);

        var app = builder.Build();
        // Created now so its listener hears every measurement from the start, not from the first scrape.
        app.Services.GetRequiredService<PrometheusExporter>();
        app.Services.GetRequiredService<QueueGauges>();
        UsePipeline(app, settings);
        MapEndpoints(app);
        return app;
    }

    private static void AddServices(IServiceCollection services, ServerEnvironment environment, SecretVault vault, ServerOptions settings)
    {
        services.AddOptions<ServerOptions>()
            .BindConfiguration(ServerOptions.Section)
            .Validate(o => !o.Validate().Any(), "invalid Server settings")
            .ValidateOnStart();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownGracePeriod + TimeSpan.FromSeconds(20));

        services.AddSingleton(environment);
        services.AddSingleton(environment.Store);
        services.AddSingleton(environment.Access);
        services.Replace(ServiceDescriptor.Singleton(environment.Time));
        services.AddSingleton(vault);
        services.AddSingleton<ServerSecrets>();
        services.AddSingleton<DagCatalog>();
        services.AddSingleton<DagList>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton(sp => new OperatorActions(environment.Store, environment.Time));
        services.AddSingleton(sp => new DagRegistry(environment.Store, environment.DagsFolder, environment.Time, sp.GetRequiredService<ILogger<DagRegistry>>()));
        services.AddSingleton<FinishedRuns>();
        services.AddSingleton<AuthFailureLimiter>();
        services.AddSingleton<ActiveTokens>();
        services.AddSingleton<TokenUsage>();
        services.AddHostedService(sp => sp.GetRequiredService<TokenUsage>());
        services.AddSingleton<WeftMetrics>();
        services.AddSingleton<PrometheusExporter>();
        services.AddSingleton(sp => new QueueGauges(environment.Store, sp.GetRequiredService<WeftMetrics>(), environment.Time));

        services.AddSingleton<DagRegistrar>();
        services.AddHostedService(sp => sp.GetRequiredService<DagRegistrar>());
        services.AddSingleton<FirstTokenService>();
        services.AddHostedService(sp => sp.GetRequiredService<FirstTokenService>());
        services.AddSingleton<WebUi.WebUiAssets>();
        services.AddSingleton<Events.EventHub>();
        services.AddSingleton<Events.StoreChangePoller>();
        services.AddHostedService(sp => sp.GetRequiredService<Events.StoreChangePoller>());
        services.AddSingleton<ExecutionService>();
        services.AddSingleton<IRunControl>(sp => sp.GetRequiredService<ExecutionService>());
        services.AddHostedService(sp => sp.GetRequiredService<ExecutionService>());

        foreach (var factory in environment.HostedServices)
        {
            services.AddSingleton<IHostedService>(factory);
        }

        // A body or parameter the binder refuses becomes an exception, so its problem details can say what is wrong.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            if (c.Exception is BadHttpRequestException bad && c.ProblemDetails.Detail is null)
            {
                c.ProblemDetails.Detail = BadRequestDetail.For(bad);
            }
        });
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = null;
            o.SerializerOptions.Converters.Add(new UtcTimeConverter());
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
        });
        // The core services only: the full AddAuthentication also sets up data protection keys, which bearer tokens do not use.
        services.AddAuthenticationCore(o => o.DefaultScheme = TokenAuthenticationHandler.SchemeName);
        services.AddWebEncoders();
        new AuthenticationBuilder(services)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(o =>
        {
            foreach (var role in Roles.All)
            {
                o.AddPolicy(role, p => p.RequireAuthenticatedUser().RequireRole(role));
            }

            // An endpoint that names no policy still needs a viewer token.
            o.FallbackPolicy = o.GetPolicy(Roles.Viewer);
        });
        if (settings.CorsOrigins.Length > 0)
        {
            services.AddCors(o => o.AddDefaultPolicy(p =>
            {
                if (settings.CorsOrigins.Contains("*"))
                {
                    p.AllowAnyOrigin();
                }
                else
                {
                    p.WithOrigins(settings.CorsOrigins);
                }

                p.AllowAnyHeader().AllowAnyMethod();
            }));
        }

        services.AddWeftOpenApi();
    }

    private static void UsePipeline(WebApplication app, ServerOptions settings)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            // A client's bad request is answered, not logged as a server error.
            SuppressDiagnosticsCallback = c => c.Exception is BadHttpRequestException,
        });
        app.UseStatusCodePages();
        if (settings.KnownProxies.Length > 0)
        {
            app.UseForwardedHeaders(ForwardedFor(settings.KnownProxies));
        }

        app.UseMiddleware<BodyLimitMiddleware>();
        if (settings.CorsOrigins.Length > 0)
        {
            app.UseCors();
        }

        app.UseAuthentication();
        app.UseAuthorization();
    }

    /// <summary>
    /// X-Forwarded-For, believed only from the configured proxies: the client address (what the failed-authentication
    /// limit counts by) is the right-most entry not added by one of them. From anyone else the header is ignored.
    /// </summary>
    private static ForwardedHeadersOptions ForwardedFor(string[] proxies)
    {
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor, ForwardLimit = null };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            if (proxy.Contains('/', StringComparison.Ordinal))
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
            }
            else
            {
                options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }
        }

        return options;
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        WebUi.WebUiEndpoints.Map(app);
        app.MapGet("/metrics", async (PrometheusExporter exporter, QueueGauges queue, OperatorActions actions, CancellationToken cancellationToken) =>
            {
                await queue.RefreshAsync(cancellationToken);
                return TypedResults.Text(exporter.Render() + CircuitBreakerMetrics.Render(await actions.ListCircuitBreakersAsync(cancellationToken)), PrometheusExporter.ContentType);
            })
            .RequireAuthorization(Roles.Viewer).WithTags("Monitoring").WithName("get_metrics")
            .WithSummary("Prometheus text format").Produces<string>(StatusCodes.Status200OK, "text/plain");

        StatusEndpoints.MapRootHealth(app);
        var api = app.MapGroup("/api/v1").AddEndpointFilter(RouteIds.FilterAsync);
        StatusEndpoints.Map(api);
        DagEndpoints.Map(api);
        DeadLetterEndpoints.Map(api);
        DagRunEndpoints.Map(api);
        TaskInstanceEndpoints.Map(api);
        LogEndpoints.Map(api);
        EventStreamEndpoints.Map(api);
        GridEndpoints.Map(api);
        AttemptEndpoints.Map(api);
        PoolEndpoints.Map(api);
        TokenEndpoints.Map(api);
        SecretEndpoints.Map(api);
    }
}
