using Npgsql;
using Weft.Engine.Storage;
using Weft.Storage.Postgres;
using Weft.Storage.Sqlite;

namespace Weft.Cli.Running;

/// <summary>
/// Opens the database named by <c>--db</c>/<c>WEFT_DB</c> with its migrations applied: PostgreSQL for a
/// <c>postgres://</c> URL or an Npgsql connection string, else SQLite (by default the file in the Weft home). Every
/// command and the server open their store here.
/// </summary>
internal static class StateStores
{
    public static async Task<IStateStore> OpenAsync(CliContext context, CancellationToken cancellationToken)
    {
        IStateStore store;
        try
        {
            store = context.IsPostgres ? new PostgresStateStore(context.Database) : new SqliteStateStore(context.Database);
        }
        catch (ArgumentException ex)
        {
            throw new CliException(ExitCodes.Usage, $"invalid --db: {ex.Message}", "give a SQLite file path, postgres://user:password@host:port/database, or an Npgsql connection string");
        }

        try
        {
            await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch (NpgsqlException ex) when (store is PostgresStateStore postgres)
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw new CliException(ExitCodes.Infrastructure, $"cannot open the PostgreSQL database at {postgres.Location}: {ex.Message}",
                "check that the server runs, that the URL's user, password and database are right, and that this machine may connect");
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The database as it may be printed: a PostgreSQL password is hidden.</summary>
    public static string Describe(CliContext context) => context.IsPostgres ? PostgresConnections.Redact(context.Database) : context.Database;
}
