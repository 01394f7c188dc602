namespace Weft.Core.Runs;

/// <summary>How the direct upstream tasks of one task stand; unfinished upstreams are <c>Total - Done</c>.</summary>
/// <param name="Total">Number of direct upstream tasks.</param>
/// <param name="Success">Upstreams that ended success.</param>
/// <param name="Failed">Upstreams that ended failed.</param>
/// <param name="UpstreamFailed">Upstreams that ended upstream_failed.</param>
/// <param name="Skipped">Upstreams that ended skipped.</param>
internal readonly record struct UpstreamCounts(int Total, int Success, int Failed, int UpstreamFailed, int Skipped)
{
    /// <summary>Upstreams in a finished state.</summary>
    public int Done => Success + Failed + UpstreamFailed + Skipped;

    /// <summary>True when every upstream has finished.</summary>
    public bool AllDone => Done >= Total;

    /// <summary>These counts with one more (or, with a negative delta, fewer) upstream in <paramref name="state"/>; unfinished states change nothing.</summary>
    public UpstreamCounts With(TaskState state, int delta) => state switch
    {
        TaskState.Success => this with { Success = Success + delta },
        TaskState.Failed => this with { Failed = Failed + delta },
        TaskState.UpstreamFailed => this with { UpstreamFailed = UpstreamFailed + delta },
        TaskState.Skipped => this with { Skipped = Skipped + delta },
        _ => this,
    };

    /// <summary>A short description for transition reasons.</summary>
    public override string ToString() =>
        $"{Total} upstream: {Success} success, {Failed} failed, {UpstreamFailed} upstream_failed, {Skipped} skipped, {Total - Done} unfinished";
}
