namespace Weft;

/// <summary>A run as it finished (or stands): its state and each task's.</summary>
public sealed class RunResult
{
    internal RunResult(string dagId, string runId, string state, DateTimeOffset? startDate, DateTimeOffset? endDate, IReadOnlyDictionary<string, TaskRunResult> tasks)
    {
        DagId = dagId;
        RunId = runId;
        State = state;
        StartDate = startDate;
        EndDate = endDate;
        Tasks = tasks;
    }

    /// <summary>The DAG id.</summary>
    public string DagId { get; }

    /// <summary>The run id.</summary>
    public string RunId { get; }

    /// <summary>The run's state: <c>queued</c>, <c>running</c>, <c>success</c> or <c>failed</c>.</summary>
    public string State { get; }

    /// <summary>Whether the run succeeded.</summary>
    public bool Succeeded => State == "success";

    /// <summary>When the run started; null before.</summary>
    public DateTimeOffset? StartDate { get; }

    /// <summary>When the run ended; null before.</summary>
    public DateTimeOffset? EndDate { get; }

    /// <summary>Each task of the run, by task id.</summary>
    public IReadOnlyDictionary<string, TaskRunResult> Tasks { get; }
}
