using Microsoft.Extensions.Hosting;

namespace Weft.Hosting;

/// <summary>Starts and stops <see cref="WeftRuntime"/> with the host.</summary>
internal sealed class WeftHostedService(WeftRuntime runtime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => runtime.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => runtime.StopAsync();
}
