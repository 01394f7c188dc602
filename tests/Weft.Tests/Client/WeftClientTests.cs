using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Weft.Tests.Client;

public sealed class WeftClientTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RunAsync_DelegateAndShellTasks_PassOutputsAndParams()
    {
        var folder = TestHosts.NewFolder();
        var dag = Dag.Create("etl")
            .Schedule("0 2 * * *")
            .Param("n", 5)
            .Task("extract", (ctx, ct) => { ctx.SetOutput("rows", (ctx.Params["n"].GetInt32() * 7).ToString()); return Task.CompletedTask; })
            .Task("load", t => t.Command("echo \"loaded=${{ tasks.extract.outputs.rows }}\" >> \"$WEFT_OUTPUT\"").DependsOn("extract"))
            .Task("report", async (ctx, ct) =>
            {
                await Task.Yield();
                ctx.Log("report of " + ctx.GetOutput("load", "loaded"));
                ctx.SetOutput("seen", $"{ctx.DagId}/{ctx.TaskId}/{ctx.Attempt}/{ctx.GetOutput("load", "loaded")}");
            }, t => t.DependsOn("load"))
            .Build();
        using var host = TestHosts.Build(folder, w => w.AddDag(dag).AddScheduler().AddWorker());
        await host.StartAsync();
        try
        {
            var client = host.Services.GetRequiredService<IWeftClient>();
            using var limit = new CancellationTokenSource(Limit);
            var result = await client.RunAsync("etl", new Dictionary<string, object?> { ["n"] = 6 }, limit.Token);

            Assert.Equal("success", result.State);
            Assert.Equal("42", result.Tasks["extract"].Outputs["rows"]);
            Assert.Equal("42", result.Tasks["load"].Outputs["loaded"]);
            Assert.Equal("etl/report/1/42", result.Tasks["report"].Outputs["seen"]);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task RunAsync_DelegateThrows_TaskFailsWithTheMessage()
    {
        var folder = TestHosts.NewFolder();
        var dag = Dag.Create("boom")
            .Task("explode", (ctx, ct) => throw new InvalidOperationException("the source table is empty"))
            .Build();
        using var host = TestHosts.Build(folder, w => w.AddDag(dag).AddWorker());
        await host.StartAsync();
        try
        {
            using var limit = new CancellationTokenSource(Limit);
            var result = await host.Services.GetRequiredService<IWeftClient>().RunAsync("boom", null, limit.Token);

            Assert.Equal("failed", result.State);
            Assert.Equal("failed", result.Tasks["explode"].State);
            Assert.Equal("the source table is empty", result.Tasks["explode"].Reason);

            // The stack trace is in the attempt's log, under the home folder.
            var logs = Directory.GetFiles(Path.Combine(folder, ".weft"), "*", SearchOption.AllDirectories).Select(File.ReadAllText);
            Assert.Contains(logs, text => text.Contains("System.InvalidOperationException: the source table is empty", StringComparison.Ordinal)
                && text.Contains(nameof(RunAsync_DelegateThrows_TaskFailsWithTheMessage), StringComparison.Ordinal));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task RunAsync_DelegateTimesOut_ItsTokenIsCancelled()
    {
        var folder = TestHosts.NewFolder();
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dag = Dag.Create("slow")
            .Task("wait", async (ctx, ct) =>
            {
                using var _ = ct.Register(() => cancelled.TrySetResult());
                await Task.Delay(TimeSpan.FromMinutes(5), ct);
            }, t => t.Timeout(TimeSpan.FromMilliseconds(500)))
            .Build();
        using var host = TestHosts.Build(folder, w => w.AddDag(dag).AddWorker());
        await host.StartAsync();
        try
        {
            using var limit = new CancellationTokenSource(Limit);
            var result = await host.Services.GetRequiredService<IWeftClient>().RunAsync("slow", null, limit.Token);

            Assert.Equal("failed", result.Tasks["wait"].State);
            await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task TriggerAsync_WorkerOfAnotherHost_LeavesTheCodeDagRun()
    {
        var folder = TestHosts.NewFolder();
        var ran = 0;
        var dag = Dag.Create("mine").Task("count", (ctx, ct) => { Interlocked.Increment(ref ran); return Task.CompletedTask; }).Build();

        // A host that knows the DAG but executes nothing, and another that executes but never registered it.
        using var owner = TestHosts.Build(folder, w => w.AddDag(dag));
        using var stranger = TestHosts.Build(folder, w => w.AddWorker());
        await owner.StartAsync();
        await stranger.StartAsync();
        string runId;
        try
        {
            runId = await owner.Services.GetRequiredService<IWeftClient>().TriggerAsync("mine");
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.Equal(0, Volatile.Read(ref ran));

            // Nor can it create runs of it: it does not have the delegates.
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => stranger.Services.GetRequiredService<IWeftClient>().TriggerAsync("mine"));
            Assert.Contains("defined in C# by a host application", ex.Message);
        }
        finally
        {
            await stranger.StopAsync();
            await owner.StopAsync();
        }

        // The host that registered it runs it when it works.
        using var worker = TestHosts.Build(folder, w => w.AddDag(dag).AddWorker());
        await worker.StartAsync();
        try
        {
            using var limit = new CancellationTokenSource(Limit);
            var result = await worker.Services.GetRequiredService<IWeftClient>().WaitAsync(runId, limit.Token);
            Assert.Equal("success", result.State);
            Assert.Equal(1, Volatile.Read(ref ran));
        }
        finally
        {
            await worker.StopAsync();
        }
    }

    [Fact]
    public async Task RunAsync_DagFromTheFolder_RunsWithParams()
    {
        var folder = TestHosts.NewFolder();
        var dags = Path.Combine(folder, "dags");
        Directory.CreateDirectory(dags);
        File.WriteAllText(Path.Combine(dags, "greet.yaml"), """
            id: greet
            params:
              who: world
            tasks:
              - id: say
                command: echo "greeting=hello ${{ params.who }}" >> "$WEFT_OUTPUT"
            """);
        using var host = TestHosts.Build(folder, w => w.AddDagsFolder(dags).AddScheduler().AddWorker());
        await host.StartAsync();
        try
        {
            using var limit = new CancellationTokenSource(Limit);
            var result = await host.Services.GetRequiredService<IWeftClient>().RunAsync("greet", new Dictionary<string, object?> { ["who"] = "weft" }, limit.Token);

            Assert.Equal("success", result.State);
            Assert.Equal("hello weft", result.Tasks["say"].Outputs["greeting"]);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task TriggerAsync_UnknownDag_SaysSo()
    {
        var folder = TestHosts.NewFolder();
        using var host = TestHosts.Build(folder, w => w.AddWorker());
        await host.StartAsync();
        try
        {
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Services.GetRequiredService<IWeftClient>().TriggerAsync("nope"));
            Assert.Contains("no DAG 'nope'", ex.Message);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task RunAsync_HostNeverStarted_WeftStartsForIt()
    {
        var folder = TestHosts.NewFolder();
        var dag = Dag.Create("early").Task("a", (ctx, ct) => { ctx.SetOutput("k", "v"); return Task.CompletedTask; }).Build();
        using var host = TestHosts.Build(folder, w => w.AddDag(dag).AddWorker());

        using var limit = new CancellationTokenSource(Limit);
        var result = await host.Services.GetRequiredService<IWeftClient>().RunAsync("early", null, limit.Token);

        Assert.Equal("success", result.State);
        Assert.Equal("v", result.Tasks["a"].Outputs["k"]);
    }

    [Fact]
    public async Task Dispose_ProviderDisposedSynchronously_StopsWithoutError()
    {
        var folder = TestHosts.NewFolder();
        var services = new ServiceCollection();
        services.AddWeft(w => w.UseSqlite(Path.Combine(folder, "weft.db")).Configure(o => o.Home = Path.Combine(folder, ".weft"))
            .AddDag(Dag.Create("plain").Task("a", (ctx, ct) => Task.CompletedTask).Build()).AddWorker());
        var provider = services.BuildServiceProvider();
        using (var limit = new CancellationTokenSource(Limit))
        {
            Assert.Equal("success", (await provider.GetRequiredService<IWeftClient>().RunAsync("plain", null, limit.Token)).State);
        }

        provider.Dispose();
    }

    [Fact]
    public void Start_BadOption_FailsWithTheSetting()
    {
        var folder = TestHosts.NewFolder();
        using var host = TestHosts.Build(folder, w => w.Configure(o => o.MaxActiveRuns = 0));
        var ex = Assert.ThrowsAny<Exception>(() => host.StartAsync().GetAwaiter().GetResult());
        Assert.Contains("MaxActiveRuns", ex.Message);
    }
}
