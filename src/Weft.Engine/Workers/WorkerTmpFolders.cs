using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Weft.Engine.Execution;
using Weft.Engine.Storage;

namespace Weft.Engine.Workers;

/// <summary>
/// The runs' <c>WEFT_TMP</c> folders a worker made: the run's owner removes only its own machine's, so the worker
/// removes these once their run is no longer active (looked at every 5 s, one query for all of them).
/// </summary>
internal sealed class WorkerTmpFolders(string home, IStateStore store, ILogger logger)
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<(string DagId, string RunId), string> _made = new();
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    /// <summary>The run's folder here; made (and remembered) when <paramref name="make"/>.</summary>
    public string For(string dagId, string runId, bool make)
    {
        var path = RunTmpFolder.For(home, dagId, runId);
        if (make)
        {
            Directory.CreateDirectory(path);
            _made.TryAdd((dagId, runId), path);
        }

        return path;
    }

    /// <summary>Removes the folders of runs that ended, now and then; <paramref name="busy"/> are runs with attempts held here.</summary>
    public async Task SweepAsync(DateTimeOffset now, IEnumerable<(string DagId, string RunId)> busy, CancellationToken cancellationToken)
    {
        if (_made.IsEmpty || now - _lastSweep < SweepInterval)
        {
            return;
        }

        _lastSweep = now;
        // Read only when it is time: the worker calls this on every pass.
        var held = busy.ToHashSet();
        var idle = _made.Keys.Where(k => !held.Contains(k)).ToList();
        if (idle.Count == 0)
        {
            return;
        }

        var active = (await store.ListActiveRunsAsync(cancellationToken).ConfigureAwait(false)).Select(r => (r.DagId, r.RunId)).ToHashSet();
        foreach (var key in idle.Where(k => !active.Contains(k)))
        {
            if (_made.TryRemove(key, out var path))
            {
                RunTmpFolder.TryDelete(path, logger);
            }
        }
    }
}
