using Microsoft.Data.Sqlite;
using Weft.Core.Runs;
using Weft.Engine.Storage;

namespace Weft.Storage.Sqlite.Tests;

/// <summary>
/// What only the SQLite store has (PRAGMAs, the file itself, group commit behind another process's lock). The
/// behaviour every store shares is the contract suite in <c>tests/Weft.Storage.Contract.Tests</c>.
/// </summary>
public sealed class SqliteStateStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "weft-sqlite-tests", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_folder, "nested", "weft.db");

    private SqliteStateStore Store { get; set; } = null!;

    public async Task InitializeAsync()
    {
        Store = new SqliteStateStore(DatabasePath);
        await Store.InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
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

    private static RunRecord Run(string dagId, string runId, DateTimeOffset? logicalDate = null) =>
        new(dagId, runId, RunState.Queued, "manual", logicalDate, logicalDate, logicalDate?.AddDays(1),
            StartDate: null, EndDate: null, ConfJson: "{}", DagFile: null, CreatedAt: T0);

    private static TaskInstanceRecord Instance(RunRecord run, string taskId, TaskState state = TaskState.None) =>
        new(run.DagId, run.RunId, taskId, state, 1, MaxTries: 3, ExitCode: null, StartDate: null, EndDate: null, NextRetryAt: null,
            AttemptId: null, Reason: null, "default", "default_pool", 1, 0, new Dictionary<string, string>());

    private async Task<RunRecord> CreateRunWithTasksAsync(string runId, int count)
    {
        var run = Run("etl", runId);
        await Store.CreateRunAsync(run, Enumerable.Range(0, count).Select(i => Instance(run, $"t{i:D5}")).ToList(), CancellationToken.None);
        return run;
    }

    /// <summary>A batch that ends a run: its tasks succeed, each with an attempt.</summary>
    private static StateBatch SucceedAll(RunRecord run)
    {
        var batch = new StateBatch();
        batch.Runs.Add(run with { State = RunState.Success, StartDate = T0, EndDate = T0.AddSeconds(1) });
        foreach (var taskId in new[] { "t00000", "t00001" })
        {
            batch.TaskInstances.Add(Instance(run, taskId, TaskState.Success) with { AttemptId = run.RunId + taskId });
            batch.AttemptsStarted.Add(new AttemptRecord(run.RunId + taskId, run.DagId, run.RunId, taskId, 1, TaskState.Success, "local", T0, T0, null, 0, null, null));
        }

        return batch;
    }

    /// <summary>A batch the store must refuse: a task instance of a run that does not exist.</summary>
    private static StateBatch Orphan()
    {
        var batch = new StateBatch();
        batch.TaskInstances.Add(Instance(Run("etl", "no_such_run"), "t1", TaskState.Success));
        return batch;
    }
}
