using System.Globalization;
using Weft.Core.Definitions;
using Weft.Engine.Storage;

namespace Weft.Engine.Runners.CircuitBreakers;

/// <summary>
/// Puts an attempt of a task with a <c>circuit_breaker</c> through the breaker kept in the database: while it is open
/// the attempt waits (its log says why and until when) instead of starting; after the cooldown one attempt probes;
/// every result is recorded, so failures count across runs, DAGs and processes.
/// </summary>
internal static class CircuitGate
{
    /// <summary>How often a waiting attempt looks again while another process's probe runs.</summary>
    private static readonly TimeSpan ProbePoll = TimeSpan.FromMilliseconds(500);

    public static async Task<TaskResult> RunAsync(IStateStore store, ITaskRunner runner, TaskExecutionContext context, TimeProvider time, CancellationToken cancellationToken)
    {
        if (context.Task.CircuitBreaker is not { } breaker || store is not ICircuitStore circuits)
        {
            return await runner.RunAsync(context, cancellationToken).ConfigureAwait(false);
        }

        var announced = false;
        while (true)
        {
            var now = time.GetUtcNow();
            var state = await circuits.GetCircuitAsync(breaker.Name, cancellationToken).ConfigureAwait(false);
            if (state is null || state.State == "closed")
            {
                break;
            }

            var due = (state.State == "open" ? state.OpenedAt : state.ProbeStartedAt) is { } since ? since + breaker.Cooldown : now;
            if (due <= now && await circuits.TryStartProbeAsync(breaker.Name, now, breaker.Cooldown, cancellationToken).ConfigureAwait(false))
            {
                context.Log.WriteLine("weft", $"circuit breaker '{breaker.Name}': cooldown over; this attempt is the probe");
                break;
            }

            if (!announced)
            {
                context.Log.WriteLine("weft", state.State == "open"
                    ? $"circuit breaker '{breaker.Name}' is open after {state.Failures} consecutive failures; waiting until {due.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)} ({Duration.Format(breaker.Cooldown)} cooldown)"
                    : $"circuit breaker '{breaker.Name}': another attempt is probing; waiting for its result");
                announced = true;
            }

            var wait = due > now ? due - now : ProbePoll;
            await Task.Delay(wait < ProbePoll ? ProbePoll : wait, time, cancellationToken).ConfigureAwait(false);
        }

        var result = await runner.RunAsync(context, cancellationToken).ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested || result.Outcome == TaskOutcome.Skipped)
        {
            // A stop, a timeout or a skip says nothing about the service behind the breaker.
            return result;
        }

        var after = await circuits.RecordCircuitResultAsync(breaker.Name, result.Outcome == TaskOutcome.Success, breaker.Failures, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        if (after.State == "open" && result.Outcome != TaskOutcome.Success)
        {
            context.Log.WriteLine("weft", $"circuit breaker '{breaker.Name}' is open after {after.Failures} consecutive failures; attempts through it wait {Duration.Format(breaker.Cooldown)}");
        }

        return result;
    }
}
