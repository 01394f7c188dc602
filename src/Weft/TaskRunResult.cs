namespace Weft;

/// <summary>One task of a run: its state, outputs and last attempt.</summary>
public sealed class TaskRunResult
{
    internal TaskRunResult(string taskId, string state, int tryNumber, int? exitCode, string? reason, IReadOnlyDictionary<string, string> outputs)
    {
        TaskId = taskId;
        State = state;
        TryNumber = tryNumber;
        ExitCode = exitCode;
        Reason = reason;
        Outputs = outputs;
    }

    /// <summary>The task id.</summary>
    public string TaskId { get; }

    /// <summary>The task's state as Weft names it: <c>success</c>, <c>failed</c>, <c>skipped</c>, <c>upstream_failed</c>…</summary>
    public string State { get; }

    /// <summary>The number of the last attempt, from 1 (0 when it never ran).</summary>
    public int TryNumber { get; }

    /// <summary>The last attempt's exit code (processes only).</summary>
    public int? ExitCode { get; }

    /// <summary>Why the task failed or was skipped; a delegate's exception message.</summary>
    public string? Reason { get; }

    /// <summary>The task's outputs, by key.</summary>
    public IReadOnlyDictionary<string, string> Outputs { get; }
}
