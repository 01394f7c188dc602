using Weft.Storage.Postgres;

namespace Weft;

/// <summary>PostgreSQL storage for <see cref="WeftBuilder"/>.</summary>
public static class WeftPostgreSqlExtensions
{
    /// <summary>Keeps the state in PostgreSQL (migrated at start); several hosts and <c>weft</c> processes can share it.</summary>
    public static WeftBuilder UsePostgreSql(this WeftBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        builder.StoreFactory = options => new PostgresStateStore(options.PostgreSql!);
        return builder.Configure(o => o.PostgreSql = connectionString);
    }
}
