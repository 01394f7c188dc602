using System.Text.Json;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using Weft.Server.Auth;

namespace Weft.Server.Tests;

/// <summary>What the API says of workers and their queues: <c>/api/v1/workers</c>, <c>/api/v1/health</c> and the queue gauges of <c>/metrics</c>.</summary>
public sealed class WorkerApiTests
{
    [Fact]
    public async Task Workers_ListTheirQueuesAndHeldAttempts_MetricsShowQueueDepthLiveWorkersAndClaimLatency()
    {
        await using var server = await ServerHarness.StartAsync(new() { ["Server:ExecutorEnabled"] = "false" });
        var store = server.Store;
        var now = DateTimeOffset.UtcNow;
        await store.RegisterOwnerAsync(new OwnerRecord("sched", "scheduler", "a", 1, 1, now, now, now.AddMinutes(1)), CancellationToken.None);
        var run = new RunRecord("etl", "run_1", RunState.Running, "manual", now, now, now, now, null, "{}", null, now);
        var tasks = new[] { ("t1", "gpu"), ("t2", "gpu"), ("t3", "etl") }
            .Select(t => new TaskInstanceRecord("etl", "run_1", t.Item1, TaskState.Running, 1, 1, null, now, null, null, $"a_{t.Item1}", null, t.Item2, "default_pool", 1, 0, new Dictionary<string, string>()))
            .ToList();
        var claim = await store.CreateClaimedRunAsync(run, tasks, "sched", CancellationToken.None);
        var batch = new StateBatch { Claim = claim };
        foreach (var t in tasks)
        {
            batch.AttemptsStarted.Add(new AttemptRecord(t.AttemptId!, "etl", "run_1", t.TaskId, 1, TaskState.Running, "sched", now, null, null, null, null, null));
            batch.AttemptsQueued.Add(new QueuedAttempt(t.AttemptId!, "etl", "run_1", t.TaskId, 1, t.Queue, now));
        }

        await store.CommitAsync(batch, CancellationToken.None);
        await store.RegisterOwnerAsync(new OwnerRecord("gpu-1", "worker", "b", 2, 2, now, now, now.AddMinutes(1)) { Queues = ["gpu"] }, CancellationToken.None);
        await store.RegisterOwnerAsync(new OwnerRecord("gone", "worker", "c", 3, 3, now, now, now.AddMinutes(-1)) { Queues = ["etl"] }, CancellationToken.None);
        Assert.Single(await store.ClaimQueuedAsync("gpu-1", ["gpu"], 1, now.AddMilliseconds(40), CancellationToken.None));

        var viewer = server.As(Roles.Viewer);
        var workers = JsonDocument.Parse(await viewer.GetStringAsync("/api/v1/workers")).RootElement.GetProperty("workers").EnumerateArray().ToList();
        var worker = workers.Single(w => w.GetProperty("name").GetString() == "gpu-1");
        Assert.Equal("worker", worker.GetProperty("kind").GetString());
        Assert.Equal(["gpu"], worker.GetProperty("queues").EnumerateArray().Select(q => q.GetString()));
        var held = Assert.Single(worker.GetProperty("running_attempts").EnumerateArray());
        Assert.Equal(("t1", "run_1", "gpu"), (held.GetProperty("task_id").GetString(), held.GetProperty("run_id").GetString(), held.GetProperty("queue").GetString()));
        Assert.DoesNotContain(workers, w => w.GetProperty("name").GetString() == "gone");

        // Health, without a token, lists the same live workers with a count of what each holds.
        var health = JsonDocument.Parse(await (await server.Anonymous().GetAsync("/api/v1/health")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("healthy", health.GetProperty("database").GetProperty("status").GetString());
        var live = health.GetProperty("workers").EnumerateArray().ToList();
        var gpu = live.Single(w => w.GetProperty("name").GetString() == "gpu-1");
        Assert.Equal(["gpu"], gpu.GetProperty("queues").EnumerateArray().Select(q => q.GetString()));
        Assert.Equal(1, gpu.GetProperty("held_attempts").GetInt32());
        Assert.Equal(now, gpu.GetProperty("latest_heartbeat").GetDateTimeOffset(), TimeSpan.FromSeconds(1));
        Assert.Equal(0, live.Single(w => w.GetProperty("name").GetString() == "sched").GetProperty("held_attempts").GetInt32());
        Assert.DoesNotContain(live, w => w.GetProperty("name").GetString() == "gone");
        Assert.Equal(workers.Select(w => w.GetProperty("name").GetString()).Order(), live.Select(w => w.GetProperty("name").GetString()).Order());

        var metrics = await viewer.GetStringAsync("/metrics");
        Assert.Contains("weft_queue_depth{queue=\"gpu\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("weft_queue_depth{queue=\"etl\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("weft_workers_live 1", metrics, StringComparison.Ordinal);
        Assert.Contains("weft_workers_lease_expired 1", metrics, StringComparison.Ordinal);
        Assert.Contains("weft_queue_held 1", metrics, StringComparison.Ordinal);
        Assert.Contains("weft_queue_claim_latency_max_seconds 0.04", metrics, StringComparison.Ordinal);
    }
}
