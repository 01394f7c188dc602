using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Weft.Engine.Storage;
using Weft.Server.Api;
using Weft.Server.Api.Models;
using Weft.Server.Caching;
using Weft.Server.Hosting;

namespace Weft.Server.Dags;

/// <summary>
/// <c>GET /api/v1/dags</c> from memory: the registered DAGs mapped to responses, and each page asked for
/// serialized once. The list is read again when older than <see cref="ServerOptions.CacheRefreshInterval"/> or
/// after this server registered or paused a DAG; when the rows read are the same as before and no DAG's next run has
/// fallen due since, the serialized pages are kept.
/// </summary>
internal sealed class DagList
{
    private const int MaxPages = 64;
    private readonly RefreshingValue<Snapshot> _snapshot;
    private readonly TimeSpan _maxAge;
    private readonly JsonSerializerOptions _json;
    private Snapshot? _last;

    public DagList(
        IStateStore store, DagCatalog catalog, IOptions<ServerOptions> options,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, TimeProvider time)
    {
        _maxAge = options.Value.CacheRefreshInterval;
        _json = json.Value.SerializerOptions;
        _snapshot = new RefreshingValue<Snapshot>(async ct =>
        {
            var records = await store.ListDagsAsync(ct).ConfigureAwait(false);
            var now = time.GetUtcNow();
            if (_last is { } last && last.Records.SequenceEqual(records) && now < last.NextRunAfter)
            {
                return last;
            }

            var dags = records.Select(d => ApiMapper.Dag(d, catalog.Parse(d), now)).ToList();
            // Kept until a DAG's next run falls due: from then on that DAG shows the run after it.
            var nextRunAfter = dags.Min(d => d.NextDagrunRunAfter) ?? DateTimeOffset.MaxValue;
            return _last = new Snapshot(records, dags, nextRunAfter);
        }, time);
    }

    /// <summary>The answer for one query.</summary>
    public async ValueTask<JsonBytes<DagCollection>> PageAsync(string? tags, bool? paused, Paging page, CancellationToken cancellationToken)
    {
        var snapshot = await _snapshot.GetAsync(_maxAge, cancellationToken);
        var key = string.Create(CultureInfo.InvariantCulture, $"{paused}|{page.Limit}|{page.Offset}|{tags}");
        if (snapshot.Pages.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var wanted = (tags ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var all = snapshot.Dags
            .Where(d => paused is null || d.IsPaused == paused)
            .Where(d => wanted.Length == 0 || d.Tags.Any(t => wanted.Contains(t, StringComparer.Ordinal)))
            .ToList();
        var answer = JsonBytes<DagCollection>.From(new DagCollection(page.Apply(all), all.Count), _json);
        if (snapshot.Pages.Count >= MaxPages)
        {
            snapshot.Pages.Clear();
        }

        snapshot.Pages[key] = answer;
        return answer;
    }

    /// <summary>Reads the list again on the next request: call after registering or pausing a DAG.</summary>
    public void Invalidate() => _snapshot.Invalidate();

    private sealed class Snapshot(IReadOnlyList<DagRecord> records, IReadOnlyList<DagResponse> dags, DateTimeOffset nextRunAfter)
    {
        public DateTimeOffset NextRunAfter => nextRunAfter;

        public IReadOnlyList<DagRecord> Records => records;

        public IReadOnlyList<DagResponse> Dags => dags;

        public ConcurrentDictionary<string, JsonBytes<DagCollection>> Pages { get; } = new(StringComparer.Ordinal);
    }
}
