using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using Weft.Storage.Sqlite;

namespace Weft.Cli.Tests.Faults;

/// <summary>
/// A folder where several weft processes share one database (<c>.weft/weft.db</c>) and one DAGs folder, and the
/// tasks append to a ledger file: what the tests count executions by.
/// </summary>
internal sealed class FaultSite : IDisposable
{
    private readonly TempFolder _dir = new();

    public string Path => _dir.Path;

    public string Ledger => System.IO.Path.Combine(_dir.Path, "ledger");

    public string Database => System.IO.Path.Combine(_dir.Path, ".weft", "weft.db");

    public void WriteDag(string name, string yaml) => _dir.Write(System.IO.Path.Combine("dags", name), yaml);

    public WeftProcess Weft() => _dir.Weft();

    public string[] LedgerLines() => File.Exists(Ledger) ? File.ReadAllLines(Ledger).Where(l => l.Length > 0).ToArray() : [];

    /// <summary>Reads the shared database from this process, as any other client would.</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteStateStore, Task<T>> read)
    {
        await using var store = new SqliteStateStore(Database);
        await store.InitializeAsync(CancellationToken.None);
        return await read(store);
    }

    public Task<IReadOnlyList<RunRecord>> RunsAsync(string dagId) =>
        ReadAsync<IReadOnlyList<RunRecord>>(async s => (await s.ListRunsAsync(new RunQuery(dagId, Limit: 1000), CancellationToken.None)).Items);

    /// <summary>Polls until <paramref name="condition"/> holds or fails after <paramref name="within"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan within, Func<string> what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > within)
            {
                throw new TimeoutException($"not within {within.TotalSeconds:0} s: {what()}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>A loopback port free right now, for a server whose address the test must know in advance.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static bool Finished(RunRecord run) => run.State is RunState.Success or RunState.Failed;

    public void Dispose() => _dir.Dispose();
}
