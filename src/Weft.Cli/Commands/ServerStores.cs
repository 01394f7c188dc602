using Weft.Cli.Running;
using Weft.Engine.Storage;

namespace Weft.Cli.Commands;

/// <summary>Opens the database for the server and the token and secret commands, which also need its access store.</summary>
internal static class ServerStores
{
    public static async Task<(IStateStore State, IAccessStore Access)> OpenAsync(CliContext context, CancellationToken cancellationToken)
    {
        var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        if (store is IAccessStore access)
        {
            return (store, access);
        }

        await store.DisposeAsync().ConfigureAwait(false);
        throw new CliException(ExitCodes.Infrastructure, "this database does not store tokens and secrets");
    }
}
