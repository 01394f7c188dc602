using System.CommandLine;
using Weft.Cli.Running;
using Weft.Engine.Execution;
using Weft.Engine.Runners;
using Weft.Engine.Scheduling;

namespace Weft.Cli.Commands;

/// <summary>
/// <c>weft scheduler</c>: registers the DAGs folder, creates runs as they fall due and executes them (and triggered
/// runs), handing tasks with a queue to workers, until stopped with Ctrl+C or SIGTERM. Any number may share a database.
/// </summary>
internal sealed class SchedulerCommand : WeftCommand
{
    /// <summary>Tasks running at once across all runs when <c>--parallelism</c> is not given.</summary>
    public const int DefaultParallelism = 32;

    private readonly Option<bool> _noExecutor = new("--no-executor")
    {
        Description = "Only create runs; leave executing them to workers or another process",
    };

    private readonly Option<bool> _noLocalTasks = new("--no-local-tasks")
    {
        Description = "Hand every task to workers (queue 'default' when it names none) instead of running those without a queue here",
    };

    private readonly Option<int?> _parallelism = new("--parallelism")
    {
        Description = $"Most tasks running at once across all runs [default: {DefaultParallelism}]",
        HelpName = "N",
    };

    private readonly Option<string?> _tasksDir = new("--tasks-dir")
    {
        Description = "Folder where relative script paths are looked up first [default: ./tasks]",
        HelpName = "DIR",
    };

    public SchedulerCommand()
        : base("scheduler", "Schedule the DAGs folder's DAGs: create runs when due and execute them (tasks with a queue on workers)")
    {
        Options.Add(_noExecutor);
        Options.Add(_noLocalTasks);
        Options.Add(_parallelism);
        Options.Add(_tasksDir);
        _parallelism.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--parallelism must be at least 1");
            }
        });
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var parse = context.ParseResult;
        var logger = SchedulerLogger.For(context);
        await using var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        if (!Directory.Exists(context.DagsFolder))
        {
            context.WriteWarning($"the DAGs folder {context.DagsFolder} does not exist (yet); DAG files put there are picked up");
        }

        await using var executor = parse.GetValue(_noExecutor)
            ? null
            : await Executor.StartAsync(
                store,
                new ExecutorSettings
                {
                    Kind = "scheduler",
                    Home = context.Home,
                    TasksDir = Path.GetFullPath(parse.GetValue(_tasksDir) ?? "tasks"),
                    Parallelism = parse.GetValue(_parallelism) ?? DefaultParallelism,
                    Placement = parse.GetValue(_noLocalTasks) ? TaskPlacement.Workers : TaskPlacement.NamedQueues,
                },
                TimeProvider.System,
                logger,
                cancellationToken).ConfigureAwait(false);
        var loop = new SchedulerLoop(store, new SchedulerOptions { DagsFolder = context.DagsFolder }, TimeProvider.System, logger, executor);
        logger.LogSchedulerStarted(context.DagsFolder, StateStores.Describe(context), executor is not null);
        try
        {
            await loop.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return ExitCodes.Success;
    }
}
