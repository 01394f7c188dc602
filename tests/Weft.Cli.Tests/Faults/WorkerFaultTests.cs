using System.Diagnostics;
using Npgsql;
using Weft.Cli.Tests.EngineRuns;
using Weft.Cli.Tests.Operations;
using Weft.Core.Runs;
using Weft.Engine.Storage;
using Weft.Storage.Postgres;
using Xunit.Abstractions;

namespace Weft.Cli.Tests.Faults;

/// <summary>
/// Distributed mode on a real PostgreSQL (<c>WEFT_TEST_POSTGRES</c>), each test in a schema of its own: schedulers and
/// workers are separate weft processes with short leases, the tasks append to a ledger file, and the test kills
/// processes with SIGKILL mid-run. What must hold: every task's work done once (a killed process's attempt in flight
/// may run again, nothing else), nothing left running, the run finished.
/// </summary>
[Collection(SerialEngineTests.Name)]
public sealed class WorkerFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly Dictionary<string, string> ShortLeases = new()
    {
        ["WEFT_HEARTBEAT_INTERVAL"] = "1s",
        ["WEFT_LEASE_DURATION"] = "3s",
    };

    private readonly FaultSite _site = new();
    private readonly string _schema = "workers_" + Guid.NewGuid().ToString("N");
    private readonly List<BackgroundWeft> _processes = [];

    private static string Server => Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)
        ?? throw new InvalidOperationException($"{PostgresFactAttribute.Variable} is not set: {PostgresFactAttribute.HowToRun}");

    private string Url => Server + "?search_path=" + _schema;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        _site.Dispose();
        if (Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable) is { Length: > 0 })
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString()) { Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [PostgresFact]
    public async Task WorkerKilledMidTask_ItsAttemptRunsAgainOnTheOtherWorker_EveryTaskOnce_NoOrphan()
    {
        // 'long' runs on the first worker (the only one when it starts) and is killed there mid-way.
        _site.WriteDag("fan.yaml", $"""
            id: fan
            tasks:
              - id: long
                queue: gpu
                command: echo "$WEFT_TASK_ID start $WEFT_ATTEMPT $$" >> '{_site.Ledger}'; sleep 4; echo "$WEFT_TASK_ID end" >> '{_site.Ledger}'
            {string.Join("\n", Enumerable.Range(0, 12).Select(i => $"""
              - id: t{i:D2}
                queue: gpu
                depends_on: [long]
                command: echo "hello from $WEFT_TASK_ID"; echo "$WEFT_TASK_ID end" >> '{_site.Ledger}'
            """))}
            """);

        Start("scheduler");
        var first = Start("worker", "--queues", "gpu", "--concurrency", "4", "--name", "first", "--home", ".first");
        await TriggerAsync("fan");
        await FaultSite.UntilAsync(() => Task.FromResult(_site.LedgerLines().Any(l => l.StartsWith("long start", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(30), () => "long started\n" + Outputs());
        var orphanPid = int.Parse(_site.LedgerLines().First(l => l.StartsWith("long start", StringComparison.Ordinal)).Split(' ')[3], System.Globalization.CultureInfo.InvariantCulture);
        await UpAsync(Start("worker", "--queues", "gpu", "--concurrency", "4", "--name", "second", "--home", ".second"));

        var killed = Stopwatch.StartNew();
        first.Signal("KILL");
        await FaultSite.UntilAsync(() => Task.FromResult(_site.LedgerLines().Count(l => l.StartsWith("long start", StringComparison.Ordinal)) >= 2),
            TimeSpan.FromSeconds(15), () => "long started again\n" + Outputs());
        output.WriteLine($"the lost attempt started again {killed.ElapsedMilliseconds} ms after the kill");
        Assert.True(killed.Elapsed < TimeSpan.FromSeconds(3 + 1 + 1), $"taken up {killed.ElapsedMilliseconds} ms after the kill (lease 3 s)");
        Assert.False(IsAlive(orphanPid), $"the killed worker's task (pid {orphanPid}) is still running");

        var run = await FinishedRunAsync("fan");
        Assert.Equal(RunState.Success, run.Run.State);
        await Task.Delay(4_500); // long enough for an orphan of 'long' to write its end
        var ledger = _site.LedgerLines();
        Assert.Equal(2, ledger.Count(l => l.StartsWith("long start", StringComparison.Ordinal)));
        Assert.Equal(
            new[] { "long end" }.Concat(Enumerable.Range(0, 12).Select(i => $"t{i:D2} end")).Order(StringComparer.Ordinal),
            ledger.Where(l => l.EndsWith(" end", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

        var longTask = run.Tasks.Single(t => t.TaskId == "long");
        Assert.Equal(2, longTask.TryNumber);
        Assert.Equal(1, longTask.LostCount);
        var attempts = await ReadAsync(s => s.GetAttemptsAsync("fan", run.Run.RunId, "long", CancellationToken.None));
        Assert.StartsWith("lost: its worker first:", attempts[0].Reason);

        // Its log is read from the database, from a folder that never saw the workers' files.
        var logs = await _site.Weft().RunAsync("logs", run.Run.RunId, "t03", "--db", Url);
        Assert.True(logs.ExitCode == 0, logs.ToString());
        Assert.Contains("hello from t03", logs.Stdout);
    }

    [PostgresFact]
    public async Task SchedulerKilledMidRun_TheOtherTakesTheRunOver_AndAwaitsTheWorkersAttemptInsteadOfRunningItAgain()
    {
        _site.WriteDag("chain.yaml", $"""
            id: chain
            tasks:
              - id: a
                queue: gpu
                command: echo "a start" >> '{_site.Ledger}'; sleep 3; echo "a end" >> '{_site.Ledger}'
              - id: b
                queue: gpu
                depends_on: [a]
                command: echo "b end" >> '{_site.Ledger}'
            """);

        var schedulers = new[] { Start("scheduler"), Start("scheduler") };
        Start("worker", "--queues", "gpu", "--name", "w");
        var runId = await TriggerAsync("chain");
        await FaultSite.UntilAsync(() => Task.FromResult(_site.LedgerLines().Contains("a start")), TimeSpan.FromSeconds(30), () => "a started\n" + Outputs());

        var owner = (await ReadAsync(s => s.GetRunAsync("chain", runId, CancellationToken.None)))!.Run.Owner!;
        var holder = schedulers.Single(s => owner.Contains($":{s.Pid}:", StringComparison.Ordinal));
        var killed = Stopwatch.StartNew();
        holder.Signal("KILL");
        await FaultSite.UntilAsync(
            async () => (await ReadAsync(s => s.GetRunAsync("chain", runId, CancellationToken.None)))!.Run.Owner is { } now && now != owner,
            TimeSpan.FromSeconds(10), () => "taken over\n" + Outputs());
        output.WriteLine($"run taken over {killed.ElapsedMilliseconds} ms after the kill");
        Assert.True(killed.Elapsed < TimeSpan.FromSeconds(3 + 1), $"taken over {killed.ElapsedMilliseconds} ms after the kill (lease 3 s)");

        var run = await FinishedRunAsync("chain");
        Assert.Equal(RunState.Success, run.Run.State);
        Assert.Equal(["a start", "a end", "b end"], _site.LedgerLines());
        Assert.All(run.Tasks, t => Assert.Equal(1, t.TryNumber));
    }

    [PostgresFact]
    public async Task WorkerStoppedLongerThanItsLease_ItsTaskRunsElsewhere_AndItsLateResultIsRefused()
    {
        _site.WriteDag("pause.yaml", $"""
            id: pause
            tasks:
              # The first attempt outlasts the lease by far: it must be killed, not left to finish.
              - id: p
                queue: gpu
                command: echo "p start $WEFT_ATTEMPT" >> '{_site.Ledger}'; if [ "$WEFT_ATTEMPT" = 1 ]; then sleep 8; else sleep 1; fi; echo "p end $WEFT_ATTEMPT" >> '{_site.Ledger}'
            """);

        Start("scheduler");
        var paused = Start("worker", "--queues", "gpu", "--name", "paused", "--home", ".paused");
        await TriggerAsync("pause");
        await FaultSite.UntilAsync(() => Task.FromResult(_site.LedgerLines().Contains("p start 1")), TimeSpan.FromSeconds(30), () => "p started\n" + Outputs());
        await UpAsync(Start("worker", "--queues", "gpu", "--name", "other", "--home", ".other"));

        var stopped = Stopwatch.StartNew();
        paused.Signal("STOP");
        try
        {
            await FaultSite.UntilAsync(() => Task.FromResult(_site.LedgerLines().Contains("p start 2")), TimeSpan.FromSeconds(15), () => "p started again\n" + Outputs());
            output.WriteLine($"re-queued and started elsewhere {stopped.ElapsedMilliseconds} ms after SIGSTOP");
            Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(3 + 1 + 1), $"taken up {stopped.ElapsedMilliseconds} ms after SIGSTOP (lease 3 s)");
        }
        finally
        {
            paused.Signal("CONT");
        }

        var run = await FinishedRunAsync("pause");
        Assert.Equal(RunState.Success, run.Run.State);
        await Task.Delay(2_000); // the resumed worker finds its lease gone and its result refused
        Assert.False(paused.HasExited, paused.Output);
        Assert.Equal(["p start 1", "p start 2", "p end 2"], _site.LedgerLines());
        var p = run.Tasks.Single();
        Assert.Equal((2, 1), (p.TryNumber, p.LostCount));
        Assert.Contains("was refused: it was taken back from this worker", paused.Output, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task WorkerCutOffFromTheDatabaseLongerThanItsLease_FencesItself_AndItsTaskRunsElsewhere()
    {
        _site.WriteDag("cut.yaml", $"""
            id: cut
            tasks:
              - id: k
                queue: gpu
                command: echo "k start $WEFT_ATTEMPT" >> '{_site.Ledger}'; if [ "$WEFT_ATTEMPT" = 1 ]; then sleep 8; else sleep 1; fi; echo "k end $WEFT_ATTEMPT" >> '{_site.Ledger}'
            """);

        var server = new Uri(Server);
        await using var proxy = new PausableProxy(server.Host, server.Port);
        var throughProxy = $"postgres://{server.UserInfo}@127.0.0.1:{proxy.Port}{server.AbsolutePath}?search_path={_schema}";
        Start("scheduler");
        var cut = new BackgroundWeft(_site.Path, ShortLeases,
            "worker", "--queues", "gpu", "--name", "cut", "--home", ".cut", "--db", throughProxy);
        _processes.Add(cut);
        await TriggerAsync("cut");
        await FaultSite.UntilAsync(() => Task.FromResult(_site.LedgerLines().Contains("k start 1")), TimeSpan.FromSeconds(30), () => "k started\n" + Outputs());
        await UpAsync(Start("worker", "--queues", "gpu", "--name", "other", "--home", ".other"));

        var partitioned = Stopwatch.StartNew();
        proxy.Pause();
        try
        {
            await FaultSite.UntilAsync(() => Task.FromResult(_site.LedgerLines().Contains("k start 2")), TimeSpan.FromSeconds(15), () => "k started again\n" + Outputs());
            output.WriteLine($"re-queued and started elsewhere {partitioned.ElapsedMilliseconds} ms after the partition");
            Assert.True(partitioned.Elapsed < TimeSpan.FromSeconds(3 + 1 + 1), $"taken up {partitioned.ElapsedMilliseconds} ms after the partition (lease 3 s)");
            await FaultSite.UntilAsync(() => Task.FromResult(cut.Output.Contains("stopping its tasks before it ends", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(5), () => "the cut-off worker fenced itself\n" + cut.Output);
        }
        finally
        {
            proxy.Resume();
        }

        var run = await FinishedRunAsync("cut");
        Assert.Equal(RunState.Success, run.Run.State);
        await Task.Delay(1_500);
        Assert.False(cut.HasExited, cut.Output);
        Assert.Equal(["k start 1", "k start 2", "k end 2"], _site.LedgerLines());
        Assert.Equal((2, 1), (run.Tasks.Single().TryNumber, run.Tasks.Single().LostCount));
    }

    [PostgresFact]
    public async Task TwoSchedulersAndTwoWorkers_ADagEverySecondFor60Seconds_EveryDateOnce_EveryTaskOnce()
    {
        // The one long test of the plan (issue: "two schedulers with a 1-second cron for 60 s"). A server of its own,
        // so a minute of schedulers racing does not load the shared one that other tests use.
        await using var postgres = await PrivatePostgres.StartAsync() ?? throw new InvalidOperationException("PostgreSQL is not installed");
        var url = postgres.Url(_schema);
        const int Seconds = 60;
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero).AddSeconds(3);
        // end_date is inclusive of the last interval's start: 60 logical dates, start .. start + 59 s.
        var last = start.AddSeconds(Seconds - 1);
        _site.WriteDag("tick.yaml", $"""
            id: tick
            schedule: "* * * * * *"
            start_date: "{start:yyyy-MM-ddTHH:mm:ss}"
            end_date: "{last:yyyy-MM-ddTHH:mm:ss}"
            catchup: true
            max_active_runs: 4
            tasks:
              - id: a
                queue: gpu
                command: echo "$WEFT_RUN_ID a" >> '{_site.Ledger}'
              - id: b
                queue: gpu
                depends_on: [a]
                command: echo "$WEFT_RUN_ID b" >> '{_site.Ledger}'
              - id: c
                depends_on: [b]
                command: echo "$WEFT_RUN_ID c" >> '{_site.Ledger}'
            """);

        string[][] processes =
        [
            ["scheduler"],
            ["scheduler"],
            ["worker", "--queues", "gpu", "--concurrency", "4", "--name", "first", "--home", ".first"],
            ["worker", "--queues", "gpu", "--concurrency", "4", "--name", "second", "--home", ".second"],
        ];
        foreach (var args in processes)
        {
            _processes.Add(new BackgroundWeft(_site.Path, ShortLeases, [.. args, "--db", url]));
        }

        IReadOnlyList<RunRecord> runs = [];
        await FaultSite.UntilAsync(async () =>
        {
            runs = await ReadAsync(async s => (await s.ListRunsAsync(new RunQuery("tick", Limit: 200), CancellationToken.None)).Items, url);
            return runs.Count >= Seconds && runs.All(FaultSite.Finished);
        }, TimeSpan.FromSeconds(Seconds + 30), () => $"{Seconds} finished runs of tick ({runs.Count} so far)\n" + Outputs());
        await Task.Delay(1_500); // time for a run created twice, or a task run twice, to show

        runs = await ReadAsync(async s => (await s.ListRunsAsync(new RunQuery("tick", Limit: 200), CancellationToken.None)).Items, url);
        Assert.Equal(Enumerable.Range(0, Seconds).Select(i => start.AddSeconds(i)), runs.Select(r => r.LogicalDate!.Value).Order());
        Assert.All(runs, r => Assert.Equal(RunState.Success, r.State));
        Assert.Equal(
            runs.SelectMany(r => new[] { $"{r.RunId} a", $"{r.RunId} b", $"{r.RunId} c" }).Order(StringComparer.Ordinal),
            _site.LedgerLines().Order(StringComparer.Ordinal));
        Assert.All(_processes, p => Assert.False(p.HasExited, p.Output));
    }

    [PostgresFact]
    public async Task PostgresRestartedFastThenImmediately_MidRun_TheRunGoesOn_EveryTaskOnce()
    {
        // A server of its own: restarting the shared one would disturb the tests that run beside this one.
        await using var postgres = await PrivatePostgres.StartAsync() ?? throw new InvalidOperationException("PostgreSQL is not installed");
        var url = postgres.Url(_schema);
        _site.WriteDag("steps.yaml", $"""
            id: steps
            tasks:
            {string.Join("\n", Enumerable.Range(0, 8).Select(i => $"""
              - id: s{i}
                queue: gpu
                {(i == 0 ? "" : $"depends_on: [s{i - 1}]")}
                command: echo "$WEFT_TASK_ID start" >> '{_site.Ledger}'; sleep 0.6; echo "$WEFT_TASK_ID end" >> '{_site.Ledger}'
            """))}
            """);

        // Leases long enough to outlast a restart: nothing fences, so nothing may run twice.
        var patient = new Dictionary<string, string> { ["WEFT_HEARTBEAT_INTERVAL"] = "1s", ["WEFT_LEASE_DURATION"] = "8s" };
        _processes.Add(new BackgroundWeft(_site.Path, patient, "scheduler", "--db", url));
        _processes.Add(new BackgroundWeft(_site.Path, patient, "worker", "--queues", "gpu", "--db", url));
        string? runId = null;
        await FaultSite.UntilAsync(async () =>
        {
            var trigger = await _site.Weft().RunAsync("dags", "trigger", "steps", "--db", url);
            runId = trigger.ExitCode == 0 ? trigger.Stdout.Trim() : null;
            return runId is not null;
        }, TimeSpan.FromSeconds(30), () => "triggered\n" + Outputs());

        await FaultSite.UntilAsync(() => Task.FromResult(_site.LedgerLines().Contains("s1 start")), TimeSpan.FromSeconds(30), () => "s1 started\n" + Outputs());
        await postgres.RestartAsync("fast");
        await FaultSite.UntilAsync(() => Task.FromResult(_site.LedgerLines().Contains("s4 start")), TimeSpan.FromSeconds(30), () => "s4 started after a fast restart\n" + Outputs());
        await postgres.RestartAsync("immediate");

        await FaultSite.UntilAsync(async () =>
        {
            var show = await _site.Weft().RunAsync("runs", "show", runId!, "--db", url, "--json");
            return show.ExitCode == 0 && System.Text.Json.JsonDocument.Parse(show.Stdout).RootElement.GetProperty("state").GetString() is "success" or "failed";
        }, TimeSpan.FromSeconds(45), () => "steps finished\n" + Outputs());

        var shown = await _site.Weft().RunAsync("runs", "show", runId!, "--db", url, "--json");
        Assert.Equal("success", System.Text.Json.JsonDocument.Parse(shown.Stdout).RootElement.GetProperty("state").GetString());
        Assert.Equal(Enumerable.Range(0, 8).SelectMany(i => new[] { $"s{i} start", $"s{i} end" }), _site.LedgerLines());
        Assert.All(_processes, p => Assert.False(p.HasExited, p.Output));
    }

    /// <summary>Waits until a worker says it started: takeover times are measured from the fault, not from a slow start.</summary>
    private static Task UpAsync(BackgroundWeft worker) =>
        FaultSite.UntilAsync(() => Task.FromResult(worker.Output.Contains(" started: ", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), () => "worker started\n" + worker.Output);

    private BackgroundWeft Start(params string[] args)
    {
        var process = new BackgroundWeft(_site.Path, ShortLeases, [.. args, "--db", Url]);
        _processes.Add(process);
        return process;
    }

    private async Task<string> TriggerAsync(string dagId)
    {
        // The scheduler registers the DAGs folder; trigger once it did.
        string? runId = null;
        await FaultSite.UntilAsync(async () =>
        {
            var trigger = await _site.Weft().RunAsync("dags", "trigger", dagId, "--db", Url, "--json");
            if (trigger.ExitCode == 0)
            {
                runId = System.Text.Json.JsonDocument.Parse(trigger.Stdout).RootElement.GetProperty("run_id").GetString();
            }

            return runId is not null;
        }, TimeSpan.FromSeconds(30), () => "triggered\n" + Outputs());
        return runId!;
    }

    private async Task<RunSnapshot> FinishedRunAsync(string dagId)
    {
        RunSnapshot? run = null;
        await FaultSite.UntilAsync(async () =>
        {
            var runs = await ReadAsync(async s => (await s.ListRunsAsync(new RunQuery(dagId), CancellationToken.None)).Items);
            run = runs.Count == 1 && FaultSite.Finished(runs[0]) ? await ReadAsync(s => s.GetRunAsync(dagId, runs[0].RunId, CancellationToken.None)) : null;
            return run is not null;
        }, TimeSpan.FromSeconds(45), () => $"{dagId} finished\n" + Outputs());
        return run!;
    }

    private async Task<T> ReadAsync<T>(Func<PostgresStateStore, Task<T>> read, string? url = null)
    {
        await using var store = new PostgresStateStore(url ?? Url);
        await store.InitializeAsync(CancellationToken.None);
        return await read(store);
    }

    private string Outputs() => string.Join("\n", _processes.Select(p => p.Output));

    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    private static string ConnectionString()
    {
        var uri = new Uri(Server);
        var user = uri.UserInfo.Split(':', 2);
        return new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port,
            Username = Uri.UnescapeDataString(user[0]),
            Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null,
            Database = uri.AbsolutePath.TrimStart('/'),
        }.ConnectionString;
    }
}
