namespace Weft.Engine.Runners;

/// <summary>How an attempt ended.</summary>
internal enum TaskOutcome
{
    Success,
    Failed,
    Skipped,

    /// <summary>
    /// The worker that held it stopped before it ended (its lease ran out): not the task's fault, so it runs again
    /// without using a retry (at most <c>RunExecutor.MaxLost</c> times).
    /// </summary>
    Lost,
}

/// <summary>The end of an attempt: outcome, exit code, reason and outputs.</summary>
internal sealed record TaskResult(TaskOutcome Outcome, int? ExitCode, string? Reason, IReadOnlyDictionary<string, string> Outputs)
{
    private static readonly IReadOnlyDictionary<string, string> NoOutputs = new Dictionary<string, string>();

    /// <summary>Set on a lost attempt whose worker died: its processes may still run on the worker's machine.</summary>
    public bool MayHaveLeftovers { get; init; }

    /// <summary>
    /// False for an attempt its worker stopped on being shut down (a deploy, a scale-down): it runs again elsewhere
    /// without counting towards <c>lost 3 times</c>, as an interrupted local attempt does.
    /// </summary>
    public bool CountsAsLost { get; init; } = true;

    /// <summary>
    /// When a worker began and ended the attempt (by its clock): the task's start and end, rather than when the run's
    /// owner queued it and read the result back. Null for attempts run by the owner.
    /// </summary>
    public (DateTimeOffset Started, DateTimeOffset Ended)? RanAt { get; init; }

    /// <summary>The result with every secret masked in its reason and outputs.</summary>
    public TaskResult Masked(Secrets.SecretMasker masker) => masker.IsEmpty
        ? this
        : this with
        {
            Reason = Reason is null ? null : masker.Mask(Reason),
            Outputs = Outputs.ToDictionary(o => o.Key, o => masker.Mask(o.Value), StringComparer.Ordinal),
        };

    public static TaskResult Succeeded(IReadOnlyDictionary<string, string>? outputs = null, int? exitCode = null) =>
        new(TaskOutcome.Success, exitCode, null, outputs ?? NoOutputs);

    public static TaskResult Failed(string reason, int? exitCode = null, IReadOnlyDictionary<string, string>? outputs = null) =>
        new(TaskOutcome.Failed, exitCode, reason, outputs ?? NoOutputs);

    public static TaskResult Lost(string reason) =>
        new(TaskOutcome.Lost, null, reason, NoOutputs);

    public static TaskResult Skipped(string reason, int? exitCode = null) =>
        new(TaskOutcome.Skipped, exitCode, reason, NoOutputs);
}
