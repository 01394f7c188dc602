using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Weft.Core.Runs;
using Weft.Engine.Secrets;
using Weft.Engine.Storage;
using Weft.Server.Api.Models;
using Weft.Server.Hosting;

namespace Weft.Server.Api;

/// <summary>
/// Finished runs kept in memory for the task-instance endpoints, with each page asked for serialized once. A
/// finished run's rows change only through an operator action: one through this server's API
/// drops every kept run at once; one from another process (<c>weft tasks clear</c>, <c>mark</c>, <c>run --resume</c>)
/// shows within <see cref="ServerOptions.CacheRefreshInterval"/>, after which a kept run is read again. Runs that are
/// not finished are read from the database on every request.
/// </summary>
internal sealed class FinishedRuns(IStateStore store, IOptions<ServerOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, TimeProvider time)
{
    private const int MaxRuns = 256;
    private const int MaxPages = 16;
    private readonly ConcurrentDictionary<(string DagId, string RunId), Entry> _runs = new();
    private readonly TimeSpan _maxAge = options.Value.CacheRefreshInterval;
    private readonly JsonSerializerOptions _json = json.Value.SerializerOptions;
    private long _generation;

    /// <summary>Forgets every kept run: call after changing a run's rows.</summary>
    public void Invalidate() => Interlocked.Increment(ref _generation);

    /// <summary>The run with its task instances, or null when there is no such run.</summary>
    public async ValueTask<RunSnapshot?> GetAsync(string dagId, string runId, CancellationToken cancellationToken) =>
        (await GetEntryAsync(dagId, runId, cancellationToken))?.Snapshot;

    /// <summary>
    /// A page of the run's task instances (those in <paramref name="state"/> when given), masked; null when there is
    /// no such run.
    /// </summary>
    public async ValueTask<JsonBytes<TaskInstanceCollection>?> TaskInstancesAsync(
        string dagId, string runId, TaskState? state, Paging page, SecretMasker masker, CancellationToken cancellationToken)
    {
        var entry = await GetEntryAsync(dagId, runId, cancellationToken);
        if (entry is null)
        {
            return null;
        }

        // Pages depend on the secrets (outputs are masked), so they are kept per masker.
        var pages = entry.Pages;
        if (!ReferenceEquals(pages.Masker, masker))
        {
            pages = entry.Pages = new Pages(masker);
        }

        var key = string.Create(CultureInfo.InvariantCulture, $"{(int?)state}|{page.Limit}|{page.Offset}");
        if (pages.ByQuery.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var all = entry.Snapshot.Tasks.Where(t => state is null || t.State == state).ToList();
        var answer = JsonBytes<TaskInstanceCollection>.From(
            new TaskInstanceCollection([.. page.Apply(all).Select(t => ApiMapper.TaskInstance(t, masker))], all.Count), _json);
        if (entry.Cached)
        {
            if (pages.ByQuery.Count >= MaxPages)
            {
                pages.ByQuery.Clear();
            }

            pages.ByQuery[key] = answer;
        }

        return answer;
    }

    private async ValueTask<Entry?> GetEntryAsync(string dagId, string runId, CancellationToken cancellationToken)
    {
        var key = (dagId, runId);
        var generation = Volatile.Read(ref _generation);
        if (_runs.TryGetValue(key, out var kept) && kept.Generation == generation && time.GetElapsedTime(kept.ReadAt) < _maxAge)
        {
            return kept;
        }

        var readAt = time.GetTimestamp();
        var snapshot = await store.GetRunAsync(dagId, runId, cancellationToken);
        // Kept only when nothing changed runs while it was read, so an older read never hides a newer change.
        var keep = snapshot is not null && IsFinished(snapshot.Run.State) && generation == Volatile.Read(ref _generation);
        var entry = snapshot is null ? null : new Entry(snapshot, readAt, generation, keep);
        if (keep)
        {
            if (_runs.Count >= MaxRuns)
            {
                _runs.Clear();
            }

            _runs[key] = entry!;
        }
        else
        {
            _runs.TryRemove(key, out _);
        }

        return entry;
    }

    private static bool IsFinished(RunState state) => state is RunState.Success or RunState.Failed;

    private sealed class Entry(RunSnapshot snapshot, long readAt, long generation, bool cached)
    {
        public RunSnapshot Snapshot => snapshot;

        public long ReadAt => readAt;

        public long Generation => generation;

        /// <summary>False for a run read for one request only (not finished): its pages are not kept either.</summary>
        public bool Cached => cached;

        public Pages Pages { get; set; } = new(null);
    }

    private sealed class Pages(SecretMasker? masker)
    {
        public SecretMasker? Masker => masker;

        public ConcurrentDictionary<string, JsonBytes<TaskInstanceCollection>> ByQuery { get; } = new(StringComparer.Ordinal);
    }
}
