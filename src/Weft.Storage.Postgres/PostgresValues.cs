namespace Weft.Storage.Postgres;

/// <summary>How Npgsql binds values: times as bigint unix milliseconds (null stays null). Everything else is <see cref="Weft.Engine.Storage.StoredValues"/>.</summary>
internal static class PostgresValues
{
    public static long ToDb(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static long? ToDb(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();
}
