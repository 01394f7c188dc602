namespace Weft.Storage.Sqlite;

/// <summary>How Microsoft.Data.Sqlite binds values: times as INTEGER unix milliseconds, a missing value as DBNull. Everything else is <see cref="Weft.Engine.Storage.StoredValues"/>.</summary>
internal static class SqliteValues
{
    public static object ToDb(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static object ToDb(DateTimeOffset? value) => value is { } v ? v.ToUnixTimeMilliseconds() : DBNull.Value;

    public static object ToDb(string? value) => value is null ? DBNull.Value : value;

    public static object ToDb(int? value) => value is { } v ? v : DBNull.Value;
}
