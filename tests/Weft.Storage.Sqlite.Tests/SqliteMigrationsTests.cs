using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Weft.Storage.Sqlite.Tests;

/// <summary>Migrations on a fresh file and on a database made by an earlier version.</summary>
public sealed class SqliteMigrationsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "weft-sqlite-migrations", Guid.NewGuid().ToString("N"));

    public SqliteMigrationsTests() => Directory.CreateDirectory(_folder);

    private string DatabasePath => Path.Combine(_folder, "weft.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Initialize_DatabaseAtAnEarlierVersion_AppliesOnlyTheLaterMigrations()
    {
        // A database as the first release left it: migration 1 applied in its own transaction, and data in it.
        var first = SqliteMigrations.All[0];
        await using (var connection = Open())
        {
            Execute(connection, """
                CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);
                """);
            Execute(connection, first.Sql);
            Execute(connection, $"INSERT INTO schema_migrations VALUES ({first.Version}, '{first.Name}', 1)");
            Execute(connection, "UPDATE pools SET slots = 7 WHERE name = 'default_pool'");
        }

        await using (var store = new SqliteStateStore(DatabasePath))
        {
            await store.InitializeAsync(CancellationToken.None);
        }

        await using var check = Open();
        Assert.Equal(SqliteMigrations.All.Select(m => (long)m.Version), Versions(check));
        Assert.Equal(1L, Scalar(check, "SELECT applied_at FROM schema_migrations WHERE version = 1"));
        Assert.Equal(7L, Scalar(check, "SELECT slots FROM pools WHERE name = 'default_pool'"));
        Assert.Equal(0L, Scalar(check, "SELECT COUNT(*) FROM tokens"));
    }

    [Fact]
    public async Task Apply_Twice_RecordsEachMigrationOnce()
    {
        await using var connection = Open();
        await SqliteMigrations.ApplyAsync(connection, NullLogger.Instance, CancellationToken.None);
        await SqliteMigrations.ApplyAsync(connection, NullLogger.Instance, CancellationToken.None);

        Assert.Equal(SqliteMigrations.All.Select(m => (long)m.Version), Versions(connection));
    }

    [Fact]
    public async Task Apply_FailingMigration_LeavesTheDatabaseUnchanged()
    {
        await using var connection = Open();
        Execute(connection, "CREATE TABLE tokens (x INTEGER)"); // migration 2 creates it: it fails, migration 1 too

        await Assert.ThrowsAsync<SqliteException>(() => SqliteMigrations.ApplyAsync(connection, NullLogger.Instance, CancellationToken.None));

        Assert.Equal(0L, Scalar(connection, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('dags', 'schema_migrations')"));
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static List<long> Versions(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_migrations ORDER BY version";
        using var reader = command.ExecuteReader();
        var versions = new List<long>();
        while (reader.Read())
        {
            versions.Add(reader.GetInt64(0));
        }

        return versions;
    }
}
