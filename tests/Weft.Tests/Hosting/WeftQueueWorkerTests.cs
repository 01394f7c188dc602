using Microsoft.Extensions.DependencyInjection;

namespace Weft.Tests.Hosting;

/// <summary>A host's <c>AddWorker("a")</c>: a worker of those queues, as <c>weft worker --queues a</c>, beside the runs it executes.</summary>
public sealed class WeftQueueWorkerTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AddWorker_QueueA_RunsTheTaskOfQueueA()
    {
        var folder = TestHosts.NewFolder();
        var dags = WriteDag(folder, "on_queue", """
            id: on_queue
            tasks:
              - id: here
                command: echo "where=owner" >> "$WEFT_OUTPUT"
              - id: on_a
                queue: a
                depends_on: [here]
                command: echo "where=queue a" >> "$WEFT_OUTPUT"
            """);
        using var host = TestHosts.Build(folder, w => w.AddDagsFolder(dags).AddScheduler().AddWorker("a"));
        await host.StartAsync();
        try
        {
            using var limit = new CancellationTokenSource(Limit);
            var result = await host.Services.GetRequiredService<IWeftClient>().RunAsync("on_queue", null, limit.Token);

            Assert.Equal("success", result.State);
            Assert.Equal("owner", result.Tasks["here"].Outputs["where"]);
            Assert.Equal("queue a", result.Tasks["on_a"].Outputs["where"]);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task AddWorker_QueueA_LeavesATaskOfAQueueNobodyServesUntilAWorkerOfItComes()
    {
        var folder = TestHosts.NewFolder();
        var marker = Path.Combine(folder, "ran-b");
        var dags = WriteDag(folder, "on_b", $"""
            id: on_b
            tasks:
              - id: task_b
                queue: b
                command: touch '{marker}'
            """);
        using var host = TestHosts.Build(folder, w => w.AddDagsFolder(dags).AddWorker("a"));
        await host.StartAsync();
        try
        {
            var client = host.Services.GetRequiredService<IWeftClient>();
            var runId = await client.TriggerAsync("on_b");
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.False(File.Exists(marker), "a host serving queue 'a' ran a task of queue 'b'");

            // A worker of queue 'b' (another host on the same database) takes it; the first host still owns the run.
            using var other = TestHosts.Build(folder, w => w.AddDagsFolder(dags).AddWorker("b"));
            await other.StartAsync();
            try
            {
                using var limit = new CancellationTokenSource(Limit);
                var result = await client.WaitAsync(runId, limit.Token);
                Assert.Equal("success", result.State);
                Assert.True(File.Exists(marker));
            }
            finally
            {
                await other.StopAsync();
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task AddWorker_Queues_RunsEveryTaskOfItsCSharpDagInTheHost()
    {
        // No worker can load a DAG built in C# (only its description is stored): its queued task runs in the host.
        var folder = TestHosts.NewFolder();
        var dag = Dag.Create("code")
            .Task("shell_b", t => t.Command("echo \"done=yes\" >> \"$WEFT_OUTPUT\"").Queue("b"))
            .Build();
        using var host = TestHosts.Build(folder, w => w.AddDag(dag).AddWorker("a"));
        await host.StartAsync();
        try
        {
            using var limit = new CancellationTokenSource(Limit);
            var result = await host.Services.GetRequiredService<IWeftClient>().RunAsync("code", null, limit.Token);

            Assert.Equal("success", result.State);
            Assert.Equal("yes", result.Tasks["shell_b"].Outputs["done"]);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task AddWorker_BadQueueName_TheHostDoesNotStart()
    {
        using var host = TestHosts.Build(TestHosts.NewFolder(), w => w.AddWorker("gpu", "no spaces"));
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        Assert.Contains("invalid queue name 'no spaces'", ex.Message);
    }

    private static string WriteDag(string folder, string name, string yaml)
    {
        var dags = Path.Combine(folder, "dags");
        Directory.CreateDirectory(dags);
        File.WriteAllText(Path.Combine(dags, name + ".yaml"), yaml);
        return dags;
    }
}
