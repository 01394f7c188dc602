using System.Data.Common;
using Npgsql;
using Weft.Engine.Storage;
using Weft.Storage.Postgres;

namespace Weft.Storage.Tests;

/// <summary>What only the PostgreSQL store has: migrations raced by several processes, and failures the engine retries.</summary>
[RequiresDatabase(TestPostgres.Variable, TestPostgres.HowToRun)]
public sealed class PostgresStateStoreTests : IAsyncLifetime
{
    private readonly string _schema = "test_" + Guid.NewGuid().ToString("N");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable(TestPostgres.Variable) is { Length: > 0 })
        {
            await ExecuteAsync($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE");
        }
    }

    [StoreFact]
    public async Task Initialize_ManyProcessesAtOnce_OnAnEmptyDatabase_MigrateItOnce()
    {
        var stores = Enumerable.Range(0, 6).Select(_ => new PostgresStateStore(TestPostgres.InSchema(_schema))).ToList();
        try
        {
            await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync(CancellationToken.None))));

            var (rows, versions) = await CountMigrationsAsync();
            Assert.True(rows > 0);
            Assert.Equal(rows, versions);
            Assert.Equal([new PoolRecord("default_pool", 128, 0)], await stores[^1].ListPoolsAsync(CancellationToken.None));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [StoreFact]
    public async Task Unreachable_Server_FailsQuicklyWithADbException()
    {
        await using var store = new PostgresStateStore("postgres://weft:weft@127.0.0.1:1/weft?connect_timeout=2");

        var error = await Assert.ThrowsAnyAsync<DbException>(() => store.InitializeAsync(CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.IsAssignableFrom<NpgsqlException>(error);
    }

    [StoreFact]
    public async Task Locked_Table_CommandTimesOutWithADbException_ThenWorksAgain()
    {
        await using var store = new PostgresStateStore(TestPostgres.InSchema(_schema) + "&Command%20Timeout=1");
        await store.InitializeAsync(CancellationToken.None);

        await using var other = new NpgsqlConnection(TestPostgres.ConnectionString());
        await other.OpenAsync();
        await using (var transaction = await other.BeginTransactionAsync())
        {
            await using (var lockTable = new NpgsqlCommand($"LOCK TABLE \"{_schema}\".dag_runs IN ACCESS EXCLUSIVE MODE", other, transaction))
            {
                await lockTable.ExecuteNonQueryAsync();
            }

            // What the engine's StoreHealth retries: a DbException, not a hang and not another exception type.
            await Assert.ThrowsAnyAsync<DbException>(() => store.ListRunsAsync(new RunQuery(), CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(0, (await store.ListRunsAsync(new RunQuery(), CancellationToken.None)).TotalEntries);
    }

    private async Task<(long Rows, long Versions)> CountMigrationsAsync()
    {
        await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString());
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand($"SELECT COUNT(*), COUNT(DISTINCT version) FROM \"{_schema}\".schema_migrations", connection);
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
