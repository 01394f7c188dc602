using Microsoft.Extensions.Logging;
using Weft.Core.Dags;
using Weft.Core.Definitions;
using Weft.Core.Diagnostics;
using Weft.Engine.Storage;

namespace Weft.Engine.Operations;

/// <summary>
/// The one registrar of a DAGs folder, used by the scheduler's loop, the server and the CLI's DAG commands: keeps
/// the database's DAG table in step with the folder. Every valid file is registered with its source and hash, a
/// changed file is registered again, and a broken file, or one repeating a DAG id another file holds, is reported
/// (as the DAG's <c>load_error</c> when it was registered before, and in <see cref="Problems"/>) while the DAG keeps
/// its last good version, which is what <see cref="Dags"/> then holds for it. Not thread-safe: one caller syncs.
/// </summary>
internal sealed partial class DagRegistry
{
    private readonly IStateStore _store;
    private readonly string _folder;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, FileState> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RegisteredDag> _dags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _firstSeen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _problems = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _uploaded = new(StringComparer.Ordinal);
    private Dictionary<string, DagRecord>? _storedByFile;

    public DagRegistry(IStateStore store, string folder, TimeProvider time, ILogger logger)
    {
        _store = store;
        _folder = Path.GetFullPath(folder);
        _time = time;
        _logger = logger;
    }

    /// <summary>The DAGs of the folder, by id: the current version of each file, or the last good one of a broken file.</summary>
    public IReadOnlyDictionary<string, RegisteredDag> Dags => _dags;

    /// <summary>The folder's files that are not registered as they are now, by path: their errors, one per line.</summary>
    public IReadOnlyDictionary<string, string> Problems => _problems;

    /// <summary>The folder, as a full path.</summary>
    public string Folder => _folder;

    /// <summary>When the last sync ended; null before the first.</summary>
    public DateTimeOffset? LastSync { get; private set; }

    /// <summary>When this process first saw the DAG; the lower bound of a schedule without <c>start_date</c>.</summary>
    public DateTimeOffset FirstSeen(string dagId) => _firstSeen.TryGetValue(dagId, out var t) ? t : _time.GetUtcNow();

    /// <summary>
    /// Brings the registrations up to date. Files whose size and modification time are unchanged are skipped
    /// unless <paramref name="force"/>; a file whose text hashes the same is not written again.
    /// </summary>
    /// <returns>True when a DAG was added, changed or removed.</returns>
    public async Task<bool> SyncAsync(bool force, CancellationToken cancellationToken)
    {
        _storedByFile ??= await LoadStoredAsync(cancellationToken).ConfigureAwait(false);
        var present = Directory.Exists(_folder) ? DagFiles.Find(_folder).ToList() : [];
        var changed = false;
        foreach (var path in present)
        {
            cancellationToken.ThrowIfCancellationRequested();
            changed |= await SyncFileAsync(path, force, cancellationToken).ConfigureAwait(false);
        }

        foreach (var gone in _files.Keys.Except(present, StringComparer.Ordinal).ToList())
        {
            // The registration stays in the database (runs refer to it); the DAG is no longer scheduled.
            if (_files[gone].DagId is { } id && _dags.TryGetValue(id, out var reg) && reg.Record.FilePath == gone)
            {
                _dags.Remove(id);
                _logger.LogInformation("DAG {DagId}: file {File} removed; no longer scheduled", id, gone);
            }

            _files.Remove(gone);
            _problems.Remove(gone);
            changed = true;
        }

        changed |= await SyncUploadedAsync(cancellationToken).ConfigureAwait(false);
        LastSync = _time.GetUtcNow();
        return changed;
    }

    /// <summary>
    /// DAGs uploaded through the API (registered without a file) join the folder's, so they are scheduled alike; a
    /// deleted one leaves. An id a file holds stays the file's.
    /// </summary>
    private async Task<bool> SyncUploadedAsync(CancellationToken cancellationToken)
    {
        var changed = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in await _store.ListDagsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (record.FilePath is not null || _dags.TryGetValue(record.DagId, out var held) && held.Record.FilePath is not null
                || _code.ContainsKey(record.DagId) || CodeDagSource.IsCode(record.Source))
            {
                continue;
            }

            seen.Add(record.DagId);
            if (_uploaded.TryGetValue(record.DagId, out var hash) && hash == record.Hash)
            {
                continue;
            }

            _uploaded[record.DagId] = record.Hash;
            changed = true;
            var result = DagLoader.LoadText(record.Source, OperatorActions.UploadName(record.DagId, record.Source));
            if (result.Dag is null)
            {
                _dags.Remove(record.DagId);
                _logger.LogWarning("DAG {DagId}: the uploaded source does not load: {Errors}", record.DagId, Errors(result));
                continue;
            }

            _dags[record.DagId] = new RegisteredDag(record, result.Dag);
            _firstSeen.TryAdd(record.DagId, _time.GetUtcNow());
            _logger.LogInformation("DAG {DagId}: registered from the database (uploaded)", record.DagId);
        }

        foreach (var gone in _uploaded.Keys.Where(id => !seen.Contains(id)).ToList())
        {
            _uploaded.Remove(gone);
            if (_dags.TryGetValue(gone, out var reg) && reg.Record.FilePath is null)
            {
                _dags.Remove(gone);
                _logger.LogInformation("DAG {DagId}: deleted; no longer scheduled", gone);
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>The definition a run executes (<see cref="Execution.RunDefinitions"/>), with this folder's DAGs as the registered ones.</summary>
    public Task<DagDefinition?> ResolveAsync(RunRecord run, CancellationToken cancellationToken) =>
        Execution.RunDefinitions.ResolveAsync(_store, run, id => _dags.TryGetValue(id, out var reg) ? reg.Definition : null, Parse, cancellationToken);

    /// <summary>Parses a registered DAG's stored source; null (with the problem logged) when it no longer loads.</summary>
    public DagDefinition? Parse(DagRecord record)
    {
        if (_dags.TryGetValue(record.DagId, out var known) && known.Record.Hash == record.Hash)
        {
            return known.Definition;
        }

        var result = OperatorActions.Parse(record);
        if (result.Dag is null)
        {
            _logger.LogWarning("DAG {DagId}: the registered source does not load: {Errors}", record.DagId, Errors(result));
        }

        return result.Dag;
    }

    private async Task<bool> SyncFileAsync(string path, bool force, CancellationToken cancellationToken)
    {
        FileInfo info;
        string text;
        try
        {
            info = new FileInfo(path);
            if (!force && _files.TryGetValue(path, out var seen) && seen.Length == info.Length && seen.Modified == info.LastWriteTimeUtc)
            {
                return false;
            }

            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Often a file caught mid-write; the next scan reads it again.
            _logger.LogDebug(ex, "Cannot read {File} yet", path);
            return false;
        }

        var hash = DagRegistration.Hash(text);
        _files.TryGetValue(path, out var previous);
        if (previous is not null && previous.Hash == hash)
        {
            _files[path] = previous with { Length = info.Length, Modified = info.LastWriteTimeUtc };
            return false;
        }

        var result = DagLoader.LoadText(text, path);
        var dag = result.Dag;
        string? error = null;
        if (dag is not null && _dags.TryGetValue(dag.Id, out var other) && other.Record.FilePath != path && _files.ContainsKey(other.Record.FilePath ?? ""))
        {
            error = $"{path}:1:1: error: DAG id '{dag.Id}' is already defined in {other.Record.FilePath}";
            dag = null;
        }
        else if (dag is null)
        {
            error = Errors(result);
        }

        var knownId = previous?.DagId ?? _storedByFile!.GetValueOrDefault(path)?.DagId;
        _files[path] = new FileState(info.Length, info.LastWriteTimeUtc, hash, dag?.Id ?? knownId);
        if (dag is null)
        {
            _problems[path] = error!;
            await ReportBrokenAsync(path, knownId, error!, cancellationToken).ConfigureAwait(false);
            return false;
        }

        _problems.Remove(path);

        if (knownId is not null && knownId != dag.Id && _dags.TryGetValue(knownId, out var renamed) && renamed.Record.FilePath == path)
        {
            _dags.Remove(knownId);
        }

        await RegisterAsync(path, text, hash, dag, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task RegisterAsync(string path, string text, string hash, DagDefinition dag, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var stored = _storedByFile!.GetValueOrDefault(path);
        var record = DagRegistration.Record(dag, text, path, paused: false, now);

        // A restart finds most files as they were registered: nothing to write for those.
        if (stored is null || stored.DagId != dag.Id || stored.Hash != hash || stored.LoadError is not null)
        {
            await _store.UpsertDagAsync(record, cancellationToken).ConfigureAwait(false);
            var verb = _dags.ContainsKey(dag.Id) || stored?.DagId == dag.Id ? "updated" : "registered";
            _logger.LogInformation("DAG {DagId}: {Verb} from {File}", dag.Id, verb, path);
        }

        _storedByFile![path] = record;
        _dags[dag.Id] = new RegisteredDag(record, dag);
        _firstSeen.TryAdd(dag.Id, now);
    }

    /// <summary>Records the load error on the DAG last registered from the file, keeping its last good source.</summary>
    private async Task ReportBrokenAsync(string path, string? dagId, string error, CancellationToken cancellationToken)
    {
        _logger.LogWarning("DAG file {File} has errors; keeping its last good version:\n{Errors}", path, error);
        if (dagId is null)
        {
            return;
        }

        var last = _dags.TryGetValue(dagId, out var reg) ? reg.Record : _storedByFile!.GetValueOrDefault(path);
        if (last is null || last.DagId != dagId)
        {
            return;
        }

        var broken = last with { LoadError = error, UpdatedAt = _time.GetUtcNow() };
        await _store.UpsertDagAsync(broken, cancellationToken).ConfigureAwait(false);
        _storedByFile![path] = broken;
        if (reg is not null)
        {
            _dags[dagId] = reg with { Record = broken };
        }
        else if (DagLoader.LoadText(last.Source, path).Dag is { } good)
        {
            // Found broken at start-up: the version registered before still runs.
            _dags[dagId] = new RegisteredDag(broken, good);
            _firstSeen.TryAdd(dagId, _time.GetUtcNow());
        }
    }

    private async Task<Dictionary<string, DagRecord>> LoadStoredAsync(CancellationToken cancellationToken)
    {
        var stored = await _store.ListDagsAsync(cancellationToken).ConfigureAwait(false);
        var byFile = new Dictionary<string, DagRecord>(StringComparer.Ordinal);
        foreach (var record in stored)
        {
            if (record.FilePath is { } file)
            {
                byFile[file] = record;
            }
        }

        return byFile;
    }

    private static string Errors(LoadResult result) =>
        string.Join('\n', result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));

    private sealed record FileState(long Length, DateTime Modified, string Hash, string? DagId);
}
