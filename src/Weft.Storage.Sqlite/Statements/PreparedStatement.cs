using Microsoft.Data.Sqlite;

namespace Weft.Storage.Sqlite.Statements;

/// <summary>
/// A command prepared once per transaction and executed once per row with its parameters re-bound. The
/// parameters are kept by position, so binding a row is array stores, not name lookups.
/// </summary>
internal sealed class PreparedStatement : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _parameters;

    public PreparedStatement(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameterNames)
    {
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText = sql;
        _parameters = new SqliteParameter[parameterNames.Length];
        for (var i = 0; i < parameterNames.Length; i++)
        {
            _parameters[i] = _command.Parameters.Add(new SqliteParameter(parameterNames[i], DBNull.Value));
        }
        _command.Prepare();
    }

    /// <summary>The parameters, in the order their names were given.</summary>
    public SqliteParameter[] Parameters => _parameters;

    /// <summary>Executes with the values currently bound; the number of rows changed.</summary>
    public int Execute() => _command.ExecuteNonQuery();

    /// <summary>Executes and reads the rows.</summary>
    public SqliteDataReader Query() => _command.ExecuteReader();

    public void Dispose() => _command.Dispose();
}
