using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Weft.Core.Definitions;
using Weft.Core.Runs;
using Weft.Engine.Execution;
using Weft.Engine.Scheduling;
using Weft.Engine.Storage;

namespace Weft.Engine.Tests.Scheduling;

public sealed class SlaMonitorTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 10, 0, 0, TimeSpan.Zero);

    private static readonly DagDefinition Dag = DagLoader.LoadText("""
        id: s
        on_failure: { command: "true" }
        tasks:
          - id: quick
            sla: 10s
          - id: slow
            sla: 1m
          - id: free
        """, "s.yaml").Dag!;

    private static RunSnapshot Run(TaskState quick, DateTimeOffset? quickEnd, TaskState slow)
    {
        var run = RunFactory.NewRun(Dag, "scheduled__x", "scheduled", Start, Start, Start, Dag.Params, null, Start) with { State = RunState.Running, StartDate = Start };
        var tasks = RunFactory.NewTaskInstances(Dag, run.RunId).ToList();
        tasks[0] = tasks[0] with { State = quick, EndDate = quickEnd };
        tasks[1] = tasks[1] with { State = slow };
        return new RunSnapshot(run, tasks);
    }

    [Fact]
    public void Find_TaskNotDonePastItsSla_IsAMiss()
    {
        var misses = SlaMonitor.Find(Dag, Run(TaskState.Running, null, TaskState.None), Start.AddSeconds(11));

        var miss = Assert.Single(misses);
        Assert.Equal("quick", miss.TaskId);
        Assert.Equal(Start.AddSeconds(10), miss.Deadline);
    }

    [Fact]
    public void Find_TaskDoneInTime_IsNoMiss_DoneLate_IsOne()
    {
        Assert.Empty(SlaMonitor.Find(Dag, Run(TaskState.Success, Start.AddSeconds(9), TaskState.Running), Start.AddSeconds(30)));
        Assert.Single(SlaMonitor.Find(Dag, Run(TaskState.Success, Start.AddSeconds(12), TaskState.Running), Start.AddSeconds(30)));
    }

    [Fact]
    public async Task Check_RecordsEachMissOnceAsAnEvent_AndNotifies()
    {
        var root = Directory.CreateTempSubdirectory("weft-sla-tests-").FullName;
        try
        {
            await using var store = new Weft.Storage.Sqlite.SqliteStateStore(Path.Combine(root, "weft.db"));
            await store.InitializeAsync(CancellationToken.None);
            var clock = new FakeTimeProvider(Start.AddMinutes(2));
            var notified = new List<string>();
            var monitor = new SlaMonitor(store, clock, NullLogger.Instance, (_, _, miss) =>
            {
                lock (notified)
                {
                    notified.Add(miss.TaskId);
                }

                return Task.CompletedTask;
            });
            var run = Run(TaskState.Running, null, TaskState.Running);

            await monitor.CheckAsync(Dag, run, CancellationToken.None);
            await monitor.CheckAsync(Dag, run, CancellationToken.None);

            var events = (await store.ListEventsAsync(10, 0, CancellationToken.None)).Items;
            Assert.Equal(["quick", "slow"], events.Where(e => e.Kind == "sla_miss").Select(e => e.TaskId).Order());
            Assert.Contains("missed its SLA of 10s", events.Single(e => e.TaskId == "quick").Message, StringComparison.Ordinal);
            for (var i = 0; i < 50 && notified.Count < 2; i++)
            {
                await Task.Delay(20);
            }

            lock (notified)
            {
                Assert.Equal(["quick", "slow"], notified.Order());
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
