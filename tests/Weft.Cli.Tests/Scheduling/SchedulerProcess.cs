using System.Diagnostics;
using System.Text;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using Weft.Storage.Sqlite;

namespace Weft.Cli.Tests.Scheduling;

/// <summary>
/// A <c>weft scheduler --dags DIR --home DIR</c> process on a temp folder, killed (with its children) on dispose
/// so that no test leaves one behind. The database is read through the store, in this process.
/// </summary>
internal sealed class SchedulerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private SchedulerProcess(TempFolder folder, Process process)
    {
        Folder = folder;
        _process = process;
    }

    public TempFolder Folder { get; }

    public string Home => Path.Combine(Folder.Path, "home");

    public string Database => Path.Combine(Home, "weft.db");

    /// <summary>What the scheduler logged so far, for assertion messages.</summary>
    public string Log
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static SchedulerProcess Start(TempFolder folder, params string[] extra)
    {
        var start = WeftProcess.StartInfo(folder.Path,
            new[] { "scheduler", "--dags", Path.Combine(folder.Path, "dags"), "--home", Path.Combine(folder.Path, "home") }.Concat(extra));
        var process = new Process { StartInfo = start };
        var scheduler = new SchedulerProcess(folder, process);
        process.ErrorDataReceived += (_, e) =>
        {
            lock (scheduler._stderr)
            {
                scheduler._stderr.AppendLine(e.Data);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.Start();
        process.StandardInput.Close();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return scheduler;
    }

    /// <summary>Runs of the DAG, oldest logical date first (empty until the scheduler created the database).</summary>
    public async Task<IReadOnlyList<RunRecord>> RunsAsync(string dagId)
    {
        if (!File.Exists(Database))
        {
            return [];
        }

        await using var store = new SqliteStateStore(Database);
        await store.InitializeAsync(CancellationToken.None);
        var runs = await store.ListRunsAsync(new RunQuery(dagId, Limit: 1000), CancellationToken.None);
        return [.. runs.Items.OrderBy(r => r.LogicalDate)];
    }

    /// <summary>Polls until <paramref name="done"/> holds for the DAG's runs, or the time is up; returns the last runs seen.</summary>
    public async Task<IReadOnlyList<RunRecord>> WaitForRunsAsync(string dagId, Func<IReadOnlyList<RunRecord>, bool> done, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var runs = await RunsAsync(dagId);
            if (done(runs) || clock.Elapsed > within)
            {
                return runs;
            }

            await Task.Delay(200);
        }
    }

    public static bool AllSucceeded(IReadOnlyList<RunRecord> runs) => runs.All(r => r.State == RunState.Success);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
        catch (InvalidOperationException)
        {
        }
        finally
        {
            _process.Dispose();
        }
    }
}
