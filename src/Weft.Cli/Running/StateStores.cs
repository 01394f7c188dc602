using Weft.Engine.Storage;
using Weft.Storage.Sqlite;

namespace Weft.Cli.Running;

/// <summary>Opens the database named by <c>--db</c>/<c>WEFT_DB</c> (SQLite by default) with its migrations applied.</summary>
internal static class StateStores
{
    public static async Task<IStateStore> OpenAsync(CliContext context, CancellationToken cancellationToken)
    {
        if (context.IsPostgres)
        {
            throw new CliException(ExitCodes.Infrastructure, "PostgreSQL databases are not supported by this build yet", "leave out --db (and WEFT_DB) to use the embedded SQLite database");
        }

        var store = new SqliteStateStore(context.Database);
        try
        {
            await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
