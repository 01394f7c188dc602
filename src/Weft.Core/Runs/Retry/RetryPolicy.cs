using Weft.Core.Dags;

namespace Weft.Core.Runs.Retry;

/// <summary>Whether and when a failed attempt is retried, from the task's retry fields. Randomness comes in as a parameter.</summary>
internal static class RetryPolicy
{
    /// <summary>Largest share of an exponential delay that jitter takes off.</summary>
    internal const double MaxJitter = 0.1;

    /// <summary>Decides what follows a failed attempt.</summary>
    /// <param name="task">The task, with its retry fields.</param>
    /// <param name="tryNumber">The attempt that just failed, from 1.</param>
    /// <param name="exitCode">Its exit code; null when it failed without one (timeout, lost process, HTTP error).</param>
    /// <param name="jitter">A random number in [0, 1] supplied by the caller.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tryNumber"/> is below 1 or <paramref name="jitter"/> is outside [0, 1].</exception>
    public static RetryDecision Decide(TaskDefinition task, int tryNumber, int? exitCode, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tryNumber, 1);
        if (!(jitter >= 0 && jitter <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "Jitter must be in [0, 1].");
        }

        if (tryNumber >= task.MaxTries)
        {
            return RetryDecision.Fail($"no tries left ({tryNumber} of {task.MaxTries})");
        }
        if (exitCode is { } code && !task.RetryOnExitCodes.IsEmpty && !task.RetryOnExitCodes.Contains(code))
        {
            return RetryDecision.Fail($"exit code {code} is not in retry_on_exit_codes");
        }

        var delay = Delay(task, tryNumber, jitter);
        return RetryDecision.RetryAfter(delay, $"try {tryNumber} of {task.MaxTries} failed; retry in {delay}");
    }

    /// <summary>The delay before retry number <paramref name="retry"/> (from 1), capped at the task's maximum.</summary>
    internal static TimeSpan Delay(TaskDefinition task, int retry, double jitter)
    {
        var cap = task.MaxRetryDelay < TimeSpan.Zero ? TimeSpan.Zero : task.MaxRetryDelay;
        var first = Math.Max(0d, task.RetryDelay.Ticks);
        if (first == 0)
        {
            // Zero times an overflowed power is NaN; a zero delay stays zero.
            return TimeSpan.Zero;
        }

        // Doubles cannot overflow here (2^n for large n is infinity, which the cap absorbs).
        var ticks = task.RetryBackoff switch
        {
            RetryBackoff.Fixed => first,
            RetryBackoff.Linear => first * retry,
            RetryBackoff.Exponential => first * Math.Pow(2, retry - 1) * (1 - MaxJitter * jitter),
            _ => throw new ArgumentOutOfRangeException(nameof(task), task.RetryBackoff, "Unknown retry backoff."),
        };

        // Compared as doubles so the conversion back to ticks only happens below the cap, where it fits.
        return ticks >= cap.Ticks ? cap : TimeSpan.FromTicks((long)Math.Round(ticks));
    }
}
