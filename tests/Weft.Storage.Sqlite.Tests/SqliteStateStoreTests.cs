using Microsoft.Data.Sqlite;
using Weft.Engine.Storage;
using Weft.Storage.Tests;
using Xunit.Abstractions;

namespace Weft.Storage.Sqlite.Tests;

/// <summary>The shared store suite on a SQLite file, plus what only SQLite has (PRAGMAs, the file itself).</summary>
public sealed class SqliteStateStoreTests : StateStoreContract
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "weft-sqlite-tests", Guid.NewGuid().ToString("N"));

    public SqliteStateStoreTests(ITestOutputHelper output) : base(output)
    {
    }

    private string DatabasePath => Path.Combine(_folder, "nested", "weft.db");

    protected override IStateStore OpenStore() => new SqliteStateStore(DatabasePath);

    protected override Task DisposeDatabaseAsync()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
        return Task.CompletedTask;
    }

    [Fact]
    public void Constructor_InMemoryDatabase_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new SqliteStateStore(":memory:"));
        Assert.Throws<ArgumentException>(() => new SqliteStateStore("Data Source=x;Mode=Memory"));
    }

    [Fact]
    public async Task Initialize_CreatesFolder_WalMode_MigrationsRecordedOnce()
    {
        Assert.True(File.Exists(DatabasePath));
        await using var again = new SqliteStateStore(DatabasePath);
        await again.InitializeAsync(CancellationToken.None);

        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
        Assert.Equal((long)SqliteMigrations.All.Count, Scalar(connection, "SELECT COUNT(*) FROM schema_migrations"));
        Assert.Equal(SqliteMigrations.All.Max(m => m.Version), Convert.ToInt32(Scalar(connection, "SELECT MAX(version) FROM schema_migrations")));
        Assert.Equal(1L, Scalar(connection, "SELECT COUNT(*) FROM pools WHERE name = 'default_pool'"));
    }

    [Fact]
    public async Task Constructor_ConnectionString_OpensTheSameFile()
    {
        await Store.CreateRunAsync(Run("etl", "run_1"), [], CancellationToken.None);

        await using var byConnectionString = new SqliteStateStore($"Data Source={DatabasePath};Cache=Private");
        await byConnectionString.InitializeAsync(CancellationToken.None);

        Assert.Equal(DatabasePath, byConnectionString.FilePath);
        Assert.NotNull(await byConnectionString.GetRunAsync("etl", "run_1", CancellationToken.None));
    }

    [Fact]
    public async Task Times_AreStoredAsUnixMilliseconds_StatesAsContractNames()
    {
        var run = Run("etl", "run_1", logicalDate: T0);
        await Store.CreateRunAsync(run, [Instance(run, "extract", Weft.Core.Runs.TaskState.UpForRetry)], CancellationToken.None);

        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        Assert.Equal(T0.ToUnixTimeMilliseconds(), Scalar(connection, "SELECT logical_date FROM dag_runs"));
        Assert.Equal("queued", Scalar(connection, "SELECT state FROM dag_runs"));
        Assert.Equal("up_for_retry", Scalar(connection, "SELECT state FROM task_instances"));
    }

    [Fact]
    public async Task Claim_UsesTheClaimIndex()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN SELECT seq FROM task_instances " +
            "WHERE state = 'queued' AND queue IN (SELECT value FROM json_each('[\"default\"]')) ORDER BY priority DESC, seq LIMIT 5";
        using var reader = explain.ExecuteReader();
        var plan = "";
        while (reader.Read())
        {
            plan += reader.GetString(3) + " | ";
        }
        Assert.Contains("ix_task_instances_claim", plan);
    }

    [Fact]
    public async Task Reads_ProceedWhileAnotherProcessHoldsTheWriteLock()
    {
        await Store.CreateRunAsync(Run("etl", "run_1"), [], CancellationToken.None);

        await using var other = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await other.OpenAsync();
        using var transaction = other.BeginTransaction(deferred: false);
        using (var insert = other.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO events (occurred_at, kind, message) VALUES (0, 'audit', 'uncommitted')";
            insert.ExecuteNonQuery();
        }

        var runs = await Store.ListRunsAsync(new RunQuery(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(1, runs.TotalEntries);
        Assert.Equal(0, (await Store.ListEventsAsync(10, 0, CancellationToken.None)).TotalEntries);
        transaction.Rollback();
    }

    [Fact]
    public async Task Writes_WaitForAnotherProcessesShortTransaction()
    {
        await using var other = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await other.OpenAsync();
        var transaction = other.BeginTransaction(deferred: false);
        var release = Task.Run(async () =>
        {
            await Task.Delay(300);
            transaction.Commit();
            transaction.Dispose();
        });

        await Store.CreateRunAsync(Run("etl", "run_1"), [], CancellationToken.None);
        await release;

        Assert.NotNull(await Store.GetRunAsync("etl", "run_1", CancellationToken.None));
    }

    [Fact]
    public async Task Commit_BatchesQueuedBehindAWrite_AreWrittenTogether_AndABadOneFailsAlone()
    {
        var runs = new List<RunRecord>();
        for (var i = 0; i < 6; i++)
        {
            runs.Add(await CreateRunWithTasksAsync($"run_{i}", 2));
        }

        // Another process holds the write lock: the first commit leads and waits in BEGIN IMMEDIATE, the
        // others queue behind it and go in the next round, together, with a batch that must fail among them.
        await using var other = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await other.OpenAsync();
        var transaction = other.BeginTransaction(deferred: false);
        var first = Task.Run(() => Store.CommitAsync(SucceedAll(runs[0]), CancellationToken.None));
        await Task.Delay(200);
        var queued = runs.Skip(1).Select(r => Store.CommitAsync(SucceedAll(r), CancellationToken.None)).ToList();
        var bad = Store.CommitAsync(Orphan(), CancellationToken.None);
        var cancelled = Store.CommitAsync(SucceedAll(runs[0]), new CancellationToken(canceled: true));
        Assert.All(queued, t => Assert.False(t.IsCompleted));
        await Task.Delay(100);
        transaction.Commit();
        transaction.Dispose();

        await first;
        await Task.WhenAll(queued);
        await Assert.ThrowsAsync<SqliteException>(() => bad);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        foreach (var run in runs)
        {
            Assert.Equal(Weft.Core.Runs.RunState.Success, (await Store.GetRunAsync(run.DagId, run.RunId, CancellationToken.None))!.Run.State);
        }
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
