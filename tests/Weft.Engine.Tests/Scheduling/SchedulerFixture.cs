using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Weft.Core.Runs;
using Weft.Engine.Scheduling;
using Weft.Engine.Storage;
using Weft.Storage.Sqlite;

namespace Weft.Engine.Tests.Scheduling;

/// <summary>A DAGs folder, a SQLite database and a scheduler loop on a fake clock, all in a temp folder.</summary>
internal sealed class SchedulerFixture : IAsyncDisposable
{
    private SchedulerFixture(string root, SqliteStateStore store, FakeTimeProvider clock)
    {
        Root = root;
        Store = store;
        Clock = clock;
        Loop = new SchedulerLoop(
            store,
            new SchedulerOptions { DagsFolder = DagsFolder, WatchFolder = false, RescanInterval = TimeSpan.Zero },
            clock,
            NullLogger.Instance);
    }

    public string Root { get; }

    public string DagsFolder => Path.Combine(Root, "dags");

    public SqliteStateStore Store { get; }

    public FakeTimeProvider Clock { get; }

    public SchedulerLoop Loop { get; }

    /// <summary>A fixture whose clock starts at <paramref name="now"/>.</summary>
    public static async Task<SchedulerFixture> CreateAsync(DateTimeOffset now)
    {
        var root = Directory.CreateTempSubdirectory("weft-scheduler-tests-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "dags"));
        var store = new SqliteStateStore(Path.Combine(root, "weft.db"));
        await store.InitializeAsync(CancellationToken.None);
        return new SchedulerFixture(root, store, new FakeTimeProvider(now));
    }

    public string WriteDag(string name, string yaml)
    {
        var path = Path.Combine(DagsFolder, name);
        File.WriteAllText(path, yaml.ReplaceLineEndings("\n"));
        return path;
    }

    public Task PassAsync() => Loop.PassAsync(CancellationToken.None);

    public async Task<IReadOnlyList<RunRecord>> RunsAsync(string dagId) =>
        [.. (await Store.ListRunsAsync(new RunQuery(dagId), CancellationToken.None)).Items.OrderBy(r => r.LogicalDate)];

    /// <summary>Ends a run as another executor would.</summary>
    public async Task FinishAsync(RunRecord run)
    {
        var batch = new StateBatch();
        batch.Runs.Add(run with { State = RunState.Success, StartDate = Clock.GetUtcNow(), EndDate = Clock.GetUtcNow() });
        await Store.CommitAsync(batch, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
