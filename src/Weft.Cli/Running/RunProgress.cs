using System.Collections.Concurrent;
using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Rendering;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Execution;
using Weft.Engine.Storage;

namespace Weft.Cli.Running;

/// <summary>
/// Shows a run's progress: on a terminal a live panel (a line per running task, counts by state, elapsed
/// time) redrawn ten times a second; otherwise a plain line per finished task. Nothing with --json or --quiet.
/// The executor calls in on its loop thread; drawing happens on a timer so it never slows the run.
/// </summary>
internal abstract class RunProgress : IRunObserver, IDisposable
{
    public static RunProgress Create(CliContext context, DagDefinition dag, string runId, bool plain = false)
    {
        if (context.Json || context.Quiet)
        {
            return new Silent();
        }

        return plain || Console.IsErrorRedirected || Environment.GetEnvironmentVariable("TERM") is null or "dumb"
            ? new Plain(context.Out)
            : new Live(dag, runId);
    }

    public abstract void TaskStarted(TaskInstanceRecord task);

    public abstract void TaskFinished(TaskInstanceRecord task);

    public void RunFinished(RunSnapshot run)
    {
    }

    /// <summary>Stops drawing; called before the summary is printed.</summary>
    public virtual void Stop()
    {
    }

    public void Dispose() => Stop();

    private sealed class Silent : RunProgress
    {
        public override void TaskStarted(TaskInstanceRecord task) { }

        public override void TaskFinished(TaskInstanceRecord task) { }
    }

    private sealed class Plain(TextWriter output) : RunProgress
    {
        public override void TaskStarted(TaskInstanceRecord task) { }

        public override void TaskFinished(TaskInstanceRecord task)
        {
            var took = task.StartDate is { } s && task.EndDate is { } e ? $" in {RunSummary.Format(e - s)}" : "";
            var note = task.Reason is null ? "" : $" ({task.Reason})";
            var attempt = task.TryNumber > 1 ? $" (try {task.TryNumber})" : "";
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {task.TaskId}: {task.State.ToName()}{attempt}{took}{note}");
        }
    }

    private sealed class Live : RunProgress
    {
        private readonly ConcurrentDictionary<string, DateTimeOffset> _running = new(StringComparer.Ordinal);
        private readonly int[] _counts = new int[Enum.GetValues<TaskState>().Length];
        private readonly int _total;
        private readonly string _title;
        private readonly Stopwatch _elapsed = Stopwatch.StartNew();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _drawing;

        public Live(DagDefinition dag, string runId)
        {
            _total = dag.Tasks.Length;
            _title = $"{dag.Id} · {runId}";
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            _drawing = console.Live(Render()).AutoClear(true).StartAsync(async ctx =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    ctx.UpdateTarget(Render());
                    try
                    {
                        await Task.Delay(100, _stop.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            });
        }

        public override void TaskStarted(TaskInstanceRecord task) => _running[task.TaskId] = task.StartDate ?? DateTimeOffset.UtcNow;

        public override void TaskFinished(TaskInstanceRecord task)
        {
            _running.TryRemove(task.TaskId, out _);
            if (task.State != TaskState.UpForRetry)
            {
                Interlocked.Increment(ref _counts[(int)task.State]);
            }
        }

        public override void Stop()
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            _stop.Cancel();
            try
            {
                _drawing.Wait(TimeSpan.FromSeconds(2));
            }
            catch (AggregateException)
            {
                // Drawing is best effort; the summary follows either way.
            }
        }

        private IRenderable Render()
        {
            var now = DateTimeOffset.UtcNow;
            var rows = new List<IRenderable>();
            foreach (var (id, since) in _running.OrderBy(p => p.Value).Take(12))
            {
                rows.Add(new Markup($"  [blue]▶[/] {Markup.Escape(id)} [grey]{RunSummary.Format(now - since)}[/]"));
            }

            if (_running.Count > 12)
            {
                rows.Add(new Markup($"  [grey]… and {_running.Count - 12} more running[/]"));
            }

            var done = _counts.Sum();
            var counts = string.Join("  ", Enum.GetValues<TaskState>()
                .Where(s => _counts[(int)s] > 0)
                .Select(s => $"[{RunSummary.Color(s)}]{_counts[(int)s]} {s.ToName()}[/]"));
            rows.Add(new Markup($"[bold]{Markup.Escape(_title)}[/]  {done}/{_total} done  {_running.Count} running  {counts}  [grey]{RunSummary.Format(_elapsed.Elapsed)}[/]"));
            return new Rows(rows);
        }
    }
}
