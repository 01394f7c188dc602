using Weft.Engine.Storage;

namespace Weft.Engine.Logs;

/// <summary>
/// The copy of an attempt's log that its worker ships to the database (see <c>Workers/LogShipper</c>), found by the
/// attempt's task and try; the attempt is looked up until it exists (a follower may wait for it to start).
/// </summary>
internal sealed class StoredAttemptLog(IStateStore store, string dagId, string runId, string taskId, int tryNumber)
{
    private string? _attemptId;

    /// <summary>The bytes from <paramref name="offset"/> on; null when nothing is stored (yet).</summary>
    public async Task<byte[]?> ReadAsync(long offset, CancellationToken cancellationToken)
    {
        _attemptId ??= (await store.GetAttemptsAsync(dagId, runId, taskId, cancellationToken).ConfigureAwait(false))
            .LastOrDefault(a => a.TryNumber == tryNumber)?.AttemptId;
        return _attemptId is null ? null : await store.ReadLogAsync(_attemptId, offset, cancellationToken).ConfigureAwait(false);
    }
}
