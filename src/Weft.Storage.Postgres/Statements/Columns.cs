using Npgsql;

namespace Weft.Storage.Postgres.Statements;

/// <summary>A column written from a list of records: its name, its PostgreSQL type, and its values as one typed array.</summary>
internal sealed record Column<TRow>(string Name, string Type, Func<IReadOnlyList<TRow>, object> Values);

/// <summary>
/// Writes a list of records with one statement whatever its length: every column is sent as one array parameter
/// and <c>unnest</c> turns the arrays back into rows, so a batch of 2,500 task instances is one statement, one
/// plan and one round trip rather than 2,500.
/// </summary>
internal static class Columns
{
    public static Column<T> Text<T>(string name, Func<T, string?> value) => new(name, "text", rows => Map(rows, value));

    public static Column<T> Bigint<T>(string name, Func<T, long?> value) => new(name, "bigint", rows => Map(rows, value));

    public static Column<T> Integer<T>(string name, Func<T, int?> value) => new(name, "integer", rows => Map(rows, value));

    /// <summary>The column names, comma-separated.</summary>
    public static string Names<T>(IReadOnlyList<Column<T>> columns) => string.Join(", ", columns.Select(c => c.Name));

    /// <summary>
    /// <c>SELECT cols FROM unnest($1::type[], …) … ORDER BY ord</c>: the rows in the order of the list (identity columns
    /// are assigned in that order), parameters numbered from <paramref name="firstParameter"/>.
    /// </summary>
    public static string Unnest<T>(IReadOnlyList<Column<T>> columns, int firstParameter = 1)
    {
        var names = Names(columns);
        var arrays = string.Join(", ", columns.Select((c, i) => $"${i + firstParameter}::{c.Type}[]"));
        return $"SELECT {names} FROM unnest({arrays}) WITH ORDINALITY AS u({names}, ord) ORDER BY ord";
    }

    /// <summary>The array parameters of <see cref="Unnest{T}"/>, in column order.</summary>
    public static IEnumerable<NpgsqlParameter> Arrays<T>(IReadOnlyList<Column<T>> columns, IReadOnlyList<T> rows) =>
        columns.Select(c => new NpgsqlParameter { Value = c.Values(rows) });

    /// <summary>A batch command over the rows' arrays.</summary>
    public static NpgsqlBatchCommand Command<T>(string sql, IReadOnlyList<Column<T>> columns, IReadOnlyList<T> rows)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(Arrays(columns, rows).ToArray());
        return command;
    }

    private static TValue[] Map<T, TValue>(IReadOnlyList<T> rows, Func<T, TValue> value)
    {
        var values = new TValue[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = value(rows[i]);
        }

        return values;
    }
}
