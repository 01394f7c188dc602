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

    /// <summary>Why the attempt was stopped, when the executor stopped it.</summary>
    public string? StopReason { get; set; }

    public bool TimedOut => Timeout?.IsCancellationRequested == true && StopReason is null;

    public void Dispose()
    {
        Stop.Dispose();
        Timeout?.Dispose();
    }
}

/// <summary>A runner's result, posted back to the executor loop.</summary>
internal sealed record AttemptFinished(RunningAttempt Attempt, TaskResult Result, DateTimeOffset EndedAt);
