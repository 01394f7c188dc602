using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Weft.Tests.Diagnostics;

/// <summary>What a host's OpenTelemetry setup would collect from the <c>Weft</c> source and meter.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task RunAsync_Traced_ARunSpanWithAnAttemptSpanPerTaskAndCounts()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Weft",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.GetTagItem("weft.dag_id") as string == "traced")
                {
                    spans.Enqueue(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var runs = 0L;
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Weft" && instrument.Name == "weft.runs.finished")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "weft.dag_id" && tag.Value as string == "traced")
                {
                    Interlocked.Add(ref runs, value);
                }
            }
        });
        meters.Start();

        var folder = TestHosts.NewFolder();
        var dag = Dag.Create("traced")
            .Task("a", (ctx, ct) => Task.CompletedTask)
            .Task("b", (ctx, ct) => throw new InvalidOperationException("b broke"), t => t.DependsOn("a"))
            .Build();
        using var host = TestHosts.Build(folder, w => w.AddDag(dag).AddWorker());
        await host.StartAsync();
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var result = await host.Services.GetRequiredService<IWeftClient>().RunAsync("traced", null, limit.Token);
            Assert.Equal("failed", result.State);
        }
        finally
        {
            await host.StopAsync();
        }

        var run = Assert.Single(spans, s => s.DisplayName == "run traced");
        Assert.Equal(ActivityStatusCode.Error, run.Status);
        var a = Assert.Single(spans, s => s.DisplayName == "task a");
        var b = Assert.Single(spans, s => s.DisplayName == "task b");
        Assert.Equal(run.SpanId, a.ParentSpanId);
        Assert.Equal(run.TraceId, b.TraceId);
        Assert.Equal("b broke", b.StatusDescription);
        Assert.Equal(1, Interlocked.Read(ref runs));
    }
}
