using Weft.Engine.Runners;

namespace Weft.Engine.Execution;

/// <summary>An attempt handed to a runner, and how to stop it.</summary>
internal sealed class RunningAttempt(string taskId, string attemptId, CancellationTokenSource stop, CancellationTokenSource? timeout, TimeSpan? timeoutAfter) : IDisposable
{
    public string TaskId { get; } = taskId;

    public string AttemptId { get; } = attemptId;

    /// <summary>Cancelled to stop the attempt (fail-fast or interruption); linked into the runner's token.</summary>
    public CancellationTokenSource Stop { get; } = stop;

    public CancellationTokenSource? Timeout { get; } = timeout;

    public TimeSpan? TimeoutAfter { get; } = timeoutAfter;

    /// <summary>The attempt's try number and start, for its row when it ends after its task was changed elsewhere.</summary>
    public int TryNumber { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>The queue a worker takes it from; null when it runs in this process.</summary>
    public string? Queue { get; init; }

    /// <summary>Cancelled to stop awaiting a worker's attempt without stopping it: whoever claims the run next takes it up.</summary>
    public CancellationTokenSource Detach { get; } = new();

    /// <summary>Why the attempt was stopped, when the executor stopped it.</summary>
    public string? StopReason { get; set; }

    public bool TimedOut => Timeout?.IsCancellationRequested == true && StopReason is null;

    public void Dispose()
    {
        Stop.Dispose();
        Timeout?.Dispose();
        Detach.Dispose();
    }
}

/// <summary>A runner's result, posted back to the executor loop.</summary>
internal sealed record AttemptFinished(RunningAttempt Attempt, TaskResult Result, DateTimeOffset EndedAt);
