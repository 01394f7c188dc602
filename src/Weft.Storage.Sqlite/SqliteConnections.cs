using Microsoft.Data.Sqlite;

namespace Weft.Storage.Sqlite;

/// <summary>
/// Builds the connection string from a file path or a connection string, and opens connections with the
/// PRAGMAs every connection needs.
/// </summary>
internal sealed class SqliteConnections
{
    /// <summary>How long a connection waits for another process's lock before failing with SQLITE_BUSY.</summary>
    public const int BusyTimeoutMilliseconds = 10_000;

    public SqliteConnections(string pathOrConnectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pathOrConnectionString);

        var builder = LooksLikeConnectionString(pathOrConnectionString)
            ? new SqliteConnectionStringBuilder(pathOrConnectionString)
            : new SqliteConnectionStringBuilder { DataSource = pathOrConnectionString };

        if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            // Separate reader connections and WAL need a file; an in-memory database would be one per connection.
            throw new ArgumentException("The SQLite state store needs a database file, not an in-memory database.", nameof(pathOrConnectionString));
        }

        builder.DataSource = Path.GetFullPath(builder.DataSource);
        builder.Pooling = true;
        builder.ForeignKeys = true;
        builder.DefaultTimeout = Math.Max(builder.DefaultTimeout, BusyTimeoutMilliseconds / 1000);
        FilePath = builder.DataSource;
        ConnectionString = builder.ToString();
    }

    /// <summary>The full path of the database file.</summary>
    public string FilePath { get; }

    /// <summary>The normalized connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates the database's folder (mode 0700) and file (mode 0600) when they are missing.</summary>
    public void EnsureFolder()
    {
        var folder = Path.GetDirectoryName(FilePath);
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                // The folder Weft makes for its database (by default its home) is its owner's alone.
                Directory.CreateDirectory(Path.GetDirectoryName(folder) ?? folder);
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        if (!OperatingSystem.IsWindows() && !File.Exists(FilePath))
        {
            // Created empty with mode 0600 before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
            try
            {
                new FileStream(FilePath, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                }).Dispose();
            }
            catch (IOException) when (File.Exists(FilePath))
            {
                // Another process created it first.
            }
        }
    }

    /// <summary>Opens the single writer connection: WAL, synchronous NORMAL, busy timeout, foreign keys.</summary>
    public async Task<(SqliteConnection Connection, string JournalMode)> OpenWriterAsync(CancellationToken cancellationToken)
    {
        var fresh = !File.Exists(FilePath) || new FileInfo(FilePath).Length == 0;
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}", cancellationToken);
            if (fresh)
            {
                // Switching a new, empty file to WAL writes its first page through the rollback journal, which at the
                // default FULL level costs four fsyncs; an empty file has nothing to protect yet.
                await ExecuteAsync(connection, "PRAGMA synchronous = OFF", cancellationToken);
            }

            // journal_mode is stored in the file; it answers with the mode in force (not "wal" on some
            // network file systems, where SQLite refuses WAL).
            using var wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode = WAL";
            var mode = Convert.ToString(await wal.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) ?? "";

            // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
            await ExecuteAsync(connection, "PRAGMA synchronous = NORMAL", cancellationToken);
            return (connection, mode);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens a pooled connection for reading; WAL lets it read while the writer writes.</summary>
    public async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // Pooled connections keep their settings, but setting it again costs microseconds and keeps
            // readers correct even when a connection came from elsewhere in the pool.
            await ExecuteAsync(connection, $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}", cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Closes idle pooled connections so the file is released.</summary>
    public void ClearPool()
    {
        using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static bool LooksLikeConnectionString(string value) =>
        value.Contains('=') && (value.Contains("data source", StringComparison.OrdinalIgnoreCase)
            || value.Contains("datasource", StringComparison.OrdinalIgnoreCase)
            || value.Contains("filename", StringComparison.OrdinalIgnoreCase));
}
