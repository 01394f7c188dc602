using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Weft.Core.Definitions;
using Weft.Engine.Json;
using Weft.Engine.Storage;
using Weft.Server.Hosting;

namespace Weft.Server.Dags;

/// <summary>
/// Registers the DAGs folder's files in the database at start (before the API answers) and rescans it every few
/// seconds: a new or changed file is upserted with its source and SHA-256 hash; an unchanged one costs a read.
/// </summary>
internal sealed class DagRegistrar(
    ServerEnvironment environment,
    IOptions<ServerOptions> options,
    Heartbeats heartbeats,
    DagList list,
    ILogger<DagRegistrar> logger) : BackgroundService
{
    private readonly Dictionary<string, string> _registered = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _reportedErrors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _fileHashes = new(StringComparer.Ordinal);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await ScanAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DagRescanInterval, environment.Time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ScanAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Scanning the DAGs folder {Folder} failed", environment.DagsFolder);
            }
        }
    }

    /// <summary>One pass over the folder.</summary>
    internal async Task ScanAsync(CancellationToken cancellationToken)
    {
        heartbeats.Beat(Heartbeats.DagProcessor);
        var folder = environment.DagsFolder;
        if (!Directory.Exists(folder))
        {
            Report(folder, "the DAGs folder does not exist");
            return;
        }

        if (_registered.Count == 0)
        {
            foreach (var dag in await environment.Store.ListDagsAsync(cancellationToken))
            {
                _registered[dag.DagId] = dag.Hash;
            }
        }

        foreach (var path in DagFiles.Find(folder))
        {
            cancellationToken.ThrowIfCancellationRequested();
            string text;
            try
            {
                text = await File.ReadAllTextAsync(path, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Report(path, ex.Message);
                continue;
            }

            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
            if (_fileHashes.TryGetValue(path, out var seen) && seen == hash)
            {
                continue;
            }

            _fileHashes[path] = hash;
            var load = DagLoader.LoadText(text, path);
            if (load.Dag is not { } dag)
            {
                Report(path, string.Join(Environment.NewLine, load.Diagnostics.Select(d => d.ToString())));
                continue;
            }

            _reportedErrors.Remove(path);
            if (_registered.TryGetValue(dag.Id, out var known) && known == hash)
            {
                continue;
            }

            await environment.Store.UpsertDagAsync(new DagRecord(
                dag.Id, path, text, hash, IsPaused: false, dag.Schedule?.Text,
                JsonStringList.Write(dag.Tags), LoadError: null, environment.Time.GetUtcNow()), cancellationToken);
            _registered[dag.Id] = hash;
            list.Invalidate();
            logger.LogInformation("Registered DAG {DagId} from {File}", dag.Id, path);
        }
    }

    private void Report(string path, string message)
    {
        if (_reportedErrors.TryGetValue(path, out var previous) && previous == message)
        {
            return;
        }

        _reportedErrors[path] = message;
        logger.LogWarning("DAG file {File} is not registered: {Problems}", path, message);
    }
}
