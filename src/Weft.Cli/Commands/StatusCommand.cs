using System.CommandLine;
using Spectre.Console;
using Weft.Cli.Running;
using Weft.Cli.Status;

namespace Weft.Cli.Commands;

/// <summary>
/// <c>weft status [--watch] [--json]</c>: active runs and their progress, recent failures, the next due runs, pools and
/// workers, read from the database. <c>--watch</c> on a terminal redraws it live until Ctrl+C; otherwise one snapshot.
/// </summary>
internal sealed class StatusCommand : WeftCommand
{
    private readonly Option<bool> _watch = new("--watch", "-w")
    {
        Description = "Keep the dashboard on screen, redrawn every --interval, until Ctrl+C (on a terminal)",
    };

    private readonly Option<double> _interval = new("--interval")
    {
        Description = "Seconds between redraws with --watch",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => 2,
    };

    public StatusCommand()
        : base("status", "A dashboard: active runs, recent failures, next due runs, pools and workers")
    {
        Options.Add(_watch);
        Options.Add(_interval);
        _interval.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is < 0.1 or > 3600)
            {
                result.AddError("--interval must be between 0.1 and 3600 seconds");
            }
        });
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        await using var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        var database = StateStores.Describe(context);
        if (context.Json)
        {
            var report = await StatusReader.ReadAsync(store, context.DagsFolder, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
            context.WriteJson(report);
            return ExitCodes.Success;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(context.Out),
            Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (Console.IsOutputRedirected)
        {
            // A file or a pipe has no width: rows are never wrapped there.
            console.Profile.Width = 100_000;
        }

        var watch = context.ParseResult.GetValue(_watch) && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb");
        if (!watch)
        {
            var report = await StatusReader.ReadAsync(store, context.DagsFolder, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
            console.Write(StatusView.Render(report, database));
            return ExitCodes.Success;
        }

        var interval = TimeSpan.FromSeconds(context.ParseResult.GetValue(_interval));
        var first = await StatusReader.ReadAsync(store, context.DagsFolder, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
        await console.Live(StatusView.Render(first, database)).StartAsync(async live =>
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
                    var report = await StatusReader.ReadAsync(store, context.DagsFolder, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
                    live.UpdateTarget(StatusView.Render(report, database));
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
