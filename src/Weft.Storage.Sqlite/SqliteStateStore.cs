using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Weft.Engine.Storage;

namespace Weft.Storage.Sqlite;

/// <summary>
/// The state store on a SQLite file, for a single machine. Several processes may open the same file: one
/// writes while others read, because the database runs in WAL mode.
/// </summary>
/// <remarks>
/// Every write goes through one connection, one transaction at a time (<c>BEGIN IMMEDIATE</c>, kept short);
/// reads use their own pooled connections and never wait for the writer. Between processes, SQLite's file
/// lock and a busy timeout order the writers.
/// </remarks>
public sealed partial class SqliteStateStore : IStateStore
{
    private readonly SqliteConnections _connections;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private SqliteConnection? _writer;
    private readonly Statements.StatementCache _statements = new();
    private readonly GroupCommit _commits;
    private bool _disposed;

    /// <summary>Creates a store over a database file; call <see cref="InitializeAsync"/> before use.</summary>
    /// <param name="pathOrConnectionString">
    /// A file path (its folder is created when missing), or a Microsoft.Data.Sqlite connection string
    /// with <c>Data Source=FILE</c>. In-memory databases are not supported.
    /// </param>
    /// <param name="logger">Receives migration and diagnostic messages; optional.</param>
    public SqliteStateStore(string pathOrConnectionString, ILogger? logger = null)
    {
        _connections = new SqliteConnections(pathOrConnectionString);
        _logger = logger ?? NullLogger.Instance;
        // One writer: one round at a time, as many batches as are waiting.
        _commits = new GroupCommit(WriteInTransactionAsync, maxRounds: 1, maxGroup: int.MaxValue, retryAlone: _ => true);
    }

    /// <summary>The full path of the database file.</summary>
    public string FilePath => _connections.FilePath;

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (_writer is not null)
            {
                return;
            }

            _connections.EnsureFolder();
            var (writer, journalMode) = await _connections.OpenWriterAsync(cancellationToken);
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                _logger.LogWarning("SQLite database {Path} runs in journal mode {Mode}, not WAL; readers will wait for writers", FilePath, journalMode);
            }

            try
            {
                await SqliteMigrations.ApplyAsync(writer, _logger, cancellationToken);
            }
            catch
            {
                await writer.DisposeAsync();
                throw;
            }
            _writer = writer;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;

        await _writeLock.WaitAsync();
        try
        {
            if (_writer is not null)
            {
                try
                {
                    using var optimize = _writer.CreateCommand();
                    optimize.CommandText = "PRAGMA optimize";
                    optimize.ExecuteNonQuery();
                }
                catch (SqliteException ex)
                {
                    _logger.LogDebug(ex, "PRAGMA optimize failed on close");
                }
                _statements.Dispose();
                await _writer.DisposeAsync();
                _writer = null;
            }
        }
        finally
        {
            _writeLock.Release();
        }
        _connections.ClearPool();
        _writeLock.Dispose();
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a write transaction on the writer connection. The semaphore keeps this
    /// process to one writer; BEGIN IMMEDIATE takes SQLite's write lock up front (waiting up to the busy
    /// timeout for other processes), so a transaction never fails half-way on a lock upgrade.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var connection = _writer ?? throw new InvalidOperationException("The SQLite state store is not initialized; call InitializeAsync first.");
            // Microsoft.Data.Sqlite runs every command synchronously (its async methods complete inline), so
            // the work inside the transaction is plain synchronous code over prepared commands.
            using var transaction = connection.BeginTransaction(deferred: false);
            var result = work(connection, transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a pooled reader connection inside a deferred transaction, so every
    /// statement of the read sees the same snapshot.
    /// </summary>
    private async Task<T> ReadAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writer is null)
        {
            throw new InvalidOperationException("The SQLite state store is not initialized; call InitializeAsync first.");
        }

        await using var connection = await _connections.OpenReaderAsync(cancellationToken);
        using var transaction = connection.BeginTransaction(deferred: true);
        var result = work(connection, transaction);
        transaction.Commit();
        return result;
    }

    /// <summary>
    /// One page of a listing and the count of all it lists, in the same read transaction: <c>SELECT COUNT(*) FROM
    /// {from}</c> and <c>SELECT {columns} FROM {from} ORDER BY {order} LIMIT … OFFSET …</c>, both with the filter's
    /// parameters bound by <paramref name="bind"/>.
    /// </summary>
    private static PagedResult<T> ReadPage<T>(
        SqliteConnection connection, SqliteTransaction transaction, string columns, string from, string order, int limit, int offset,
        Action<SqliteCommand> bind, Func<SqliteDataReader, T> read)
    {
        int total;
        using (var count = Command(connection, transaction, $"SELECT COUNT(*) FROM {from}"))
        {
            bind(count);
            total = Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        var items = new List<T>();
        using var select = Command(connection, transaction, $"SELECT {columns} FROM {from} ORDER BY {order} LIMIT $limit OFFSET $offset");
        bind(select);
        select.Parameters.AddWithValue("$limit", Math.Max(0, limit));
        select.Parameters.AddWithValue("$offset", Math.Max(0, offset));
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            items.Add(read(reader));
        }

        return new PagedResult<T>(items, total);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
