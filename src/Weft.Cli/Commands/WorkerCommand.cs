using System.CommandLine;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Weft.Cli.Running;
using Weft.Engine.Execution;
using Weft.Engine.Workers;

namespace Weft.Cli.Commands;

/// <summary>
/// <c>weft worker [--queues a,b] [--concurrency N] [--name NAME]</c>: runs the attempts that schedulers and servers hand
/// to its queues, on this machine, until stopped with Ctrl+C or SIGTERM (its running attempts are then killed and run
/// again elsewhere without using a retry or counting as lost).
/// </summary>
internal sealed partial class WorkerCommand : WeftCommand
{
    /// <summary>Attempts at once when <c>--concurrency</c> is not given.</summary>
    public const int DefaultConcurrency = 16;

    private readonly Option<string?> _queues = new("--queues")
    {
        Description = "Comma-separated queues to take attempts from [default: default]",
        HelpName = "a,b",
    };

    private readonly Option<int?> _concurrency = new("--concurrency")
    {
        Description = $"Most attempts running at once [default: {DefaultConcurrency}]",
        HelpName = "N",
    };

    private readonly Option<string?> _name = new("--name")
    {
        Description = "Name shown in /api/v1/workers and in the worker's owner id [default: worker]",
        HelpName = "NAME",
    };

    private readonly Option<string?> _tasksDir = new("--tasks-dir")
    {
        Description = "Folder where relative script paths are looked up first [default: ./tasks]",
        HelpName = "DIR",
    };

    public WorkerCommand()
        : base("worker", "Run the attempts handed to named queues (distributed mode: PostgreSQL, any number of machines)")
    {
        Options.Add(_queues);
        Options.Add(_concurrency);
        Options.Add(_name);
        Options.Add(_tasksDir);
        _concurrency.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--concurrency must be at least 1");
            }
        });
        _queues.Validators.Add(result =>
        {
            foreach (var queue in Split(result.GetValueOrDefault<string?>()))
            {
                if (!Identifier().IsMatch(queue))
                {
                    result.AddError($"invalid queue name '{queue}': use letters, digits, '_', '.' and '-', starting with a letter or digit");
                }
            }
        });
        _name.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } name && !Identifier().IsMatch(name))
            {
                result.AddError($"invalid worker name '{name}': use letters, digits, '_', '.' and '-', starting with a letter or digit");
            }
        });
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var parse = context.ParseResult;
        var logger = SchedulerLogger.For(context);
        var queues = Split(parse.GetValue(_queues)) is { Count: > 0 } named ? named : [TaskPlacements.DefaultQueue];
        var concurrency = parse.GetValue(_concurrency) ?? DefaultConcurrency;
        await using var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        await using var executor = await Executor.StartAsync(
            store,
            new ExecutorSettings
            {
                Kind = "worker",
                Name = parse.GetValue(_name),
                Home = context.Home,
                TasksDir = Path.GetFullPath(parse.GetValue(_tasksDir) ?? "tasks"),
                Parallelism = concurrency,
                Queues = queues,
            },
            TimeProvider.System,
            logger,
            cancellationToken).ConfigureAwait(false);
        var worker = new QueueWorker(executor, queues, concurrency, TimeProvider.System, logger,
            QueueWakeUps.Supported(store) ? TimeSpan.FromMilliseconds(500) : null);
        await using var wakeUps = await QueueWakeUps.StartAsync(store, worker.Nudge, logger, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("worker {Owner} started: queues {Queues}, {Concurrency} at once, database {Database}",
            executor.Lease.OwnerId, string.Join(",", queues), concurrency, StateStores.Describe(context));
        await worker.RunAsync(cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static List<string> Split(string? list) =>
        list is null ? [] : list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,249}$")]
    private static partial Regex Identifier();
}
