using System.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Weft.Engine.Storage;

namespace Weft.Storage.Postgres;

/// <summary>
/// The state store on PostgreSQL, for any number of processes on any number of machines sharing one database.
/// </summary>
/// <remarks>
/// Every call takes a pooled connection for one transaction, kept short; PostgreSQL's row locks order concurrent
/// writers, and a claimed write locks its run's row first (<c>weft_hold_claim</c>), so no claim passes on between
/// the fencing check and the commit. Lost connections and timeouts surface as <see cref="NpgsqlException"/> (a
/// <see cref="System.Data.Common.DbException"/>), which the engine retries with backoff.
/// </remarks>
public sealed partial class PostgresStateStore : IStateStore, IAccessStore
{
    private readonly PostgresConnections _connections;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private NpgsqlDataSource? _dataSource;
    private bool _disposed;

    /// <summary>Creates a store; call <see cref="InitializeAsync"/> before use.</summary>
    /// <param name="urlOrConnectionString">
    /// <c>postgres://user:password@host:port/database</c> (libpq's <c>sslmode</c>, <c>application_name</c>,
    /// <c>connect_timeout</c> and a <c>search_path</c> naming Weft's schema are understood as query keys), or an Npgsql
    /// connection string. Pool size, timeouts and keepalives get Weft's defaults unless it sets them.
    /// </param>
    /// <param name="logger">Receives migration messages; optional.</param>
    public PostgresStateStore(string urlOrConnectionString, ILogger? logger = null)
    {
        _connections = new PostgresConnections(urlOrConnectionString);
        _logger = logger ?? NullLogger.Instance;
        _commits = new GroupCommit(WriteAsync, maxRounds: 4, maxGroup: 512, retryAlone: error => error is PostgresException);
    }

    private readonly GroupCommit _commits;

    /// <summary>The schema Weft's tables are in.</summary>
    public string Schema => _connections.Schema;

    /// <summary>Host, port and database, without credentials.</summary>
    public string Location => _connections.Describe();

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _initLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_dataSource is not null)
            {
                return;
            }

            var dataSource = _connections.CreateDataSource();
            try
            {
                await PostgresMigrations.ApplyAsync(dataSource, _connections.Schema, _logger, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await dataSource.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            _dataSource = dataSource;
        }
        finally
        {
            _initLock.Release();
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
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }

        _initLock.Dispose();
    }

    private NpgsqlDataSource DataSource
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _dataSource ?? throw new InvalidOperationException("The PostgreSQL state store is not initialized; call InitializeAsync first.");
        }
    }

    /// <summary>Runs <paramref name="work"/> in a read-committed transaction on a pooled connection and commits it.</summary>
    private async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var result = await work(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Runs one statement on a pooled connection, outside any explicit transaction.</summary>
    private async Task<T> OnceAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await work(connection).ConfigureAwait(false);
    }

    /// <summary>One query on a pooled connection: its rows, each read by <paramref name="read"/>.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1068", Justification = "The statement's values come last, as params.")]
    private Task<IReadOnlyList<T>> QueryAsync<T>(Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, string sql, params object?[] values) =>
        OnceAsync<IReadOnlyList<T>>(async connection =>
        {
            await using var command = Command(connection, null, sql, values);
            return await ReadAllAsync(command, read, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>One query on a pooled connection: its first row read by <paramref name="read"/>, or the default when none.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1068", Justification = "The statement's values come last, as params.")]
    private async Task<T?> QueryFirstAsync<T>(Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, string sql, params object?[] values) =>
        await QueryAsync(read, cancellationToken, sql, values).ConfigureAwait(false) is [var first, ..] ? first : default;

    /// <summary>One statement on a pooled connection, outside any explicit transaction: the rows it changed.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1068", Justification = "The statement's values come last, as params.")]
    private Task<int> ExecuteAsync(CancellationToken cancellationToken, string sql, params object?[] values) =>
        OnceAsync(async connection =>
        {
            await using var command = Command(connection, null, sql, values);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Like <see cref="ExecuteAsync"/>: whether the statement changed any row.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1068", Justification = "The statement's values come last, as params.")]
    private async Task<bool> ChangesAnyAsync(CancellationToken cancellationToken, string sql, params object?[] values) =>
        await ExecuteAsync(cancellationToken, sql, values).ConfigureAwait(false) > 0;

    /// <summary>Runs several reads in one repeatable-read, read-only transaction, so they all see the same snapshot.</summary>
    private async Task<T> SnapshotAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var result = await work(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>A command with positional parameters <c>$1</c>, <c>$2</c>… bound to <paramref name="values"/> (null as SQL NULL).</summary>
    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    /// <summary>Like <see cref="Command"/>, for one statement of an <see cref="NpgsqlBatch"/>.</summary>
    private static NpgsqlBatchCommand BatchCommand(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    private static async Task<List<T>> ReadAllAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
