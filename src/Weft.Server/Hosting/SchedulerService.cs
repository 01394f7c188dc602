using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Weft.Engine.Scheduling;
using Weft.Engine.Storage;

namespace Weft.Server.Hosting;

/// <summary>
/// Hosts the scheduler loop in the server: it creates runs as schedules fall due (catchup, max_active_runs,
/// paused DAGs, SLA misses). It executes nothing itself; the server's executor runs every queued run, so one
/// process never drives the same run twice.
/// </summary>
internal sealed class SchedulerService(IStateStore store, string dagsFolder, TimeProvider time, ILogger<SchedulerService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loop = new SchedulerLoop(store, new SchedulerOptions { DagsFolder = dagsFolder }, time, logger);
        return loop.RunAsync(stoppingToken);
    }
}
