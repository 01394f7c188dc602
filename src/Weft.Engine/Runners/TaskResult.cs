namespace Weft.Engine.Runners;

/// <summary>How an attempt ended.</summary>
internal enum TaskOutcome
{
    Success,
    Failed,
    Skipped,
}

/// <summary>The end of an attempt: outcome, exit code, reason and outputs.</summary>
internal sealed record TaskResult(TaskOutcome Outcome, int? ExitCode, string? Reason, IReadOnlyDictionary<string, string> Outputs)
{
    private static readonly IReadOnlyDictionary<string, string> NoOutputs = new Dictionary<string, string>();

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

    public static TaskResult Skipped(string reason, int? exitCode = null) =>
        new(TaskOutcome.Skipped, exitCode, reason, NoOutputs);
}
