using System.CommandLine;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Weft.Server;
using Weft.Server.Hosting;

namespace Weft.Cli.Commands;

/// <summary>
/// <c>weft server [--urls URL]</c>: the REST API, the DAGs folder registrar and a local executor in one process,
/// until Ctrl+C or SIGTERM. Further <c>--Server:KEY=VALUE</c> arguments set server options.
/// </summary>
internal sealed partial class ServerCommand : WeftCommand
{
    private readonly Option<string?> _urls = new("--urls")
    {
        Description = "Where to listen, ';'-separated [env: WEFT_SERVER__URLS; default: http://127.0.0.1:8080]",
        HelpName = "URL",
    };

    private readonly Option<bool> _noExecutor = new("--no-executor")
    {
        Description = "Serve the API (and create scheduled runs) only; schedulers and workers execute",
    };

    private readonly Option<bool> _noLocalTasks = new("--no-local-tasks")
    {
        Description = "Hand every task to workers (queue 'default' when it names none) instead of running those without a queue here",
    };

    public ServerCommand()
        : base("server", "Serve the REST API and run triggered DAG runs; prints a login URL on the first start")
    {
        Options.Add(_urls);
        Options.Add(_noExecutor);
        Options.Add(_noLocalTasks);
        // Settings such as --Server:MaxRequestBodyBytes=2097152 pass through to the server's configuration.
        TreatUnmatchedTokensAsErrors = false;
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var args = new List<string>();
        foreach (var token in context.ParseResult.UnmatchedTokens)
        {
            if (!token.StartsWith("--", StringComparison.Ordinal) || !token.Contains('=', StringComparison.Ordinal))
            {
                throw CliException.Usage($"unrecognized argument '{token}'", "server settings are given as --Server:KEY=VALUE");
            }

            args.Add(token);
        }

        if (context.ParseResult.GetValue(_noExecutor))
        {
            args.Add($"--{ServerOptions.Section}:ExecutorEnabled=false");
        }

        if (context.ParseResult.GetValue(_noLocalTasks))
        {
            args.Add($"--{ServerOptions.Section}:LocalTasks=false");
        }

        if (context.ParseResult.GetValue(_urls) is { } urls)
        {
            args.Add($"--{ServerOptions.Section}:Urls={urls}");
        }

        var (state, access) = await ServerStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        await using (state.ConfigureAwait(false))
        {
            var environment = new ServerEnvironment
            {
                Home = context.Home,
                DagsFolder = context.DagsFolder,
                Store = state,
                Access = access,
                Console = context.Out,
            };

            WebApplication app;
            try
            {
                app = await WeftServer.BuildAsync(environment, [.. args], null, cancellationToken).ConfigureAwait(false);
            }
            catch (OptionsValidationException ex)
            {
                throw CliException.Usage(string.Join("; ", ex.Failures));
            }

            await using (app.ConfigureAwait(false))
            {
                context.WriteInfo($"weft server: DAGs from {context.DagsFolder}, database {Running.StateStores.Describe(context)}");
                try
                {
                    await app.StartAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Stopped before disposal, so the background services already started end as stopped, not
                    // as faulted (which the host would log with their stacks).
                    try
                    {
                        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception stop) when (stop is not OutOfMemoryException)
                    {
                        // The failed start is what the user needs to read; a failure to stop after it adds nothing.
                    }

                    if (ex is IOException { InnerException: AddressInUseException })
                    {
                        // Nothing was created: the first token is made only once the listener is bound.
                        var address = BoundAddress().Match(ex.Message) is { Success: true } m ? m.Groups["url"].Value : "the address";
                        throw new CliException(ExitCodes.Infrastructure, $"cannot listen on {address} (another process holds it; choose another with --urls): address already in use");
                    }

                    throw;
                }

                await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return ExitCodes.Success;
    }

    [GeneratedRegex(@"address (?<url>\S+?): address already in use")]
    private static partial Regex BoundAddress();
}
