using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Weft.Engine.Operations;

namespace Weft.Server.Dags;

/// <summary>
/// Registers the DAGs folder before the API answers, with the engine's one registrar (<see cref="DagRegistry"/>).
/// The same registry then belongs to the scheduler loop, which rescans the folder as <c>weft scheduler</c> does.
/// </summary>
internal sealed class DagRegistrar(DagRegistry registry, DagList list, ILogger<DagRegistrar> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await registry.SyncAsync(force: true, cancellationToken);
            list.Invalidate();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The scheduler loop's next rescan tries again.
            logger.LogError(ex, "Registering the DAGs folder {Folder} failed: {Message}", registry.Folder, ex.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
