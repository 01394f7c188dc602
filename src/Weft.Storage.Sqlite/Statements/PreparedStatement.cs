using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Weft.Storage.Sqlite.Statements;

/// <summary>
/// A statement prepared once per transaction and executed once per row with its parameters re-bound.
/// </summary>
/// <remarks>
/// This is the batch hot path, so it talks to SQLite directly through the connection's handle: parameter
/// positions are resolved once here, and each row is binds, one step and a reset. Going through
/// <see cref="SqliteCommand"/> would look every parameter up by name and create a data reader per row,
/// which halves the row rate. Errors surface as <see cref="SqliteException"/>, as they would from a command.
/// </remarks>
internal sealed class PreparedStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _positions;

    /// <param name="connection">An open connection, inside the transaction the statement belongs to.</param>
    /// <param name="sql">One SQL statement.</param>
    /// <param name="parameterNames">
    /// The names the caller binds by position (0 = the first name). A name the SQL does not use is ignored,
    /// so statements over one table can share one list.
    /// </param>
    public PreparedStatement(SqliteConnection connection, string sql, params string[] parameterNames)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        _positions = new int[parameterNames.Length];
        for (var i = 0; i < parameterNames.Length; i++)
        {
            _positions[i] = raw.sqlite3_bind_parameter_index(_statement, parameterNames[i]);
        }
    }

    /// <summary>Binds text, or NULL.</summary>
    public void Bind(int parameter, string? value)
    {
        var position = _positions[parameter];
        if (position != 0)
        {
            Check(value is null ? raw.sqlite3_bind_null(_statement, position) : raw.sqlite3_bind_text(_statement, position, value));
        }
    }

    /// <summary>Binds an integer.</summary>
    public void Bind(int parameter, long value)
    {
        var position = _positions[parameter];
        if (position != 0)
        {
            Check(raw.sqlite3_bind_int64(_statement, position, value));
        }
    }

    /// <summary>Binds an integer, or NULL.</summary>
    public void Bind(int parameter, long? value)
    {
        var position = _positions[parameter];
        if (position != 0)
        {
            Check(value is { } v ? raw.sqlite3_bind_int64(_statement, position, v) : raw.sqlite3_bind_null(_statement, position));
        }
    }

    /// <summary>Binds a time as unix milliseconds, or NULL.</summary>
    public void Bind(int parameter, DateTimeOffset? value) => Bind(parameter, value?.ToUnixTimeMilliseconds());

    /// <summary>Runs the statement with the values bound; the number of rows it changed.</summary>
    public int Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc is not (raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            try
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
            finally
            {
                raw.sqlite3_reset(_statement);
            }
        }
        raw.sqlite3_reset(_statement);
        return raw.sqlite3_changes(_db);
    }

    /// <summary>Runs a query with the values bound; true when it returned a row.</summary>
    public bool HasRow()
    {
        var rc = raw.sqlite3_step(_statement);
        try
        {
            if (rc is not (raw.SQLITE_DONE or raw.SQLITE_ROW))
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }

            return rc == raw.SQLITE_ROW;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
