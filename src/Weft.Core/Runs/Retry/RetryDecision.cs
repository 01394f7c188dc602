namespace Weft.Core.Runs.Retry;

/// <summary>What happens after a failed attempt: the task fails, or it is retried after a delay.</summary>
internal readonly record struct RetryDecision
{
    private RetryDecision(bool shouldRetry, TimeSpan delay, string reason)
    {
        ShouldRetry = shouldRetry;
        Delay = delay;
        Reason = reason;
    }

    /// <summary>True when another attempt is due after <see cref="Delay"/>; false when the task ends failed.</summary>
    public bool ShouldRetry { get; }

    /// <summary>How long to wait before the next attempt; zero when not retried.</summary>
    public TimeSpan Delay { get; }

    /// <summary>Why, for the attempt's record.</summary>
    public string Reason { get; }

    /// <summary>The task ends failed.</summary>
    public static RetryDecision Fail(string reason) => new(false, TimeSpan.Zero, reason);

    /// <summary>Another attempt is due after <paramref name="delay"/>.</summary>
    public static RetryDecision RetryAfter(TimeSpan delay, string reason) => new(true, delay, reason);
}
