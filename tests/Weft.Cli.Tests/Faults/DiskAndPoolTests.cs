using System.Diagnostics;
using System.Globalization;
using Weft.Cli.Tests.EngineRuns;
using Weft.Core.Runs;
using Xunit.Abstractions;

namespace Weft.Cli.Tests.Faults;

/// <summary>A disk that fills up while tasks log, and a pool shared by the runs a server executes.</summary>
[Collection(SerialEngineTests.Name)]
public sealed class DiskAndPoolTests(ITestOutputHelper output) : IDisposable
{
    private readonly FaultSite _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task AFullDiskWhileATaskLogs_FailsThatAttempt_TheServerAndOtherRunsGoOn_AndWeftRunExitsNormally()
    {
        // The logs folder on a 1 MB tmpfs of its own: the log fills it while the database, elsewhere, stays writable.
        var logs = Path.Combine(_site.Path, ".weft", "logs");
        Directory.CreateDirectory(logs);
        if (!await MountAsync(logs))
        {
            // xunit 2 has no run-time skip: say so where the test output goes, and stop.
            output.WriteLine("SKIPPED: mounting a tmpfs is not allowed here (needs root or CAP_SYS_ADMIN); the full-disk test did not run");
            await Console.Error.WriteLineAsync("weft tests: the full-disk test was skipped: mounting a tmpfs is not allowed here");
            return;
        }

        try
        {
            _site.WriteDag("noisy.yaml", """
                id: noisy
                tasks:
                  - id: flood
                    command: for i in $(seq 1 40000); do echo "line $i of a log that will not fit"; done; sleep 2
                """);
            _site.WriteDag("calm.yaml", $"""
                id: calm
                tasks:
                  - id: a
                    command: sleep 1; echo calm >> '{_site.Ledger}'
                """);

            using (var server = new BackgroundWeft(_site.Path, "server", "--urls", "http://127.0.0.1:0"))
            {
                foreach (var dag in new[] { "noisy", "calm" })
                {
                    var trigger = await _site.Weft().RunAsync("dags", "trigger", dag);
                    Assert.True(trigger.ExitCode == 0, trigger.ToString());
                }

                await FaultSite.UntilAsync(
                    async () => (await _site.RunsAsync("noisy")).Concat(await _site.RunsAsync("calm")).Count(FaultSite.Finished) == 2,
                    TimeSpan.FromSeconds(60),
                    () => "both runs finishing\n" + server.Output);

                Assert.False(server.HasExited, server.Output);
                Assert.Equal(RunState.Success, (await _site.RunsAsync("calm")).Single().State);
                var noisy = (await _site.RunsAsync("noisy")).Single();
                Assert.Equal(RunState.Failed, noisy.State);
                var flood = (await _site.ReadAsync(s => s.GetRunAsync("noisy", noisy.RunId, CancellationToken.None)))!.Tasks.Single();
                output.WriteLine("server: " + flood.Reason);
                Assert.StartsWith("its log could not be written: ", flood.Reason, StringComparison.Ordinal);
            }

            // weft run: the task fails with the reason, the run ends failed (exit 1), no abort.
            var run = EngineRun.Parse(await _site.Weft().RunAsync("run", "dags/noisy.yaml", "--json"));
            output.WriteLine("weft run: " + run.Task("flood").GetProperty("reason").GetString());
            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Equal("failed", run.State);
            Assert.StartsWith("its log could not be written: ", run.Task("flood").GetProperty("reason").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await UnmountAsync(logs);
        }
    }

    [Fact]
    public async Task APoolOfOneSlot_IsHonouredAcrossTheRunsOfAServer()
    {
        var spans = Path.Combine(_site.Path, "spans");
        _site.WriteDag("pooled.yaml", $"""
            id: pooled
            max_active_runs: 4
            tasks:
              - id: only
                pool: single
                command: echo "start $(date +%s.%N)" >> '{spans}'; sleep 0.7; echo "end $(date +%s.%N)" >> '{spans}'
            """);
        var set = await _site.Weft().RunAsync("pools", "set", "single", "1");
        Assert.True(set.ExitCode == 0, set.ToString());

        using var server = new BackgroundWeft(_site.Path, "server", "--urls", "http://127.0.0.1:0");
        for (var i = 0; i < 3; i++)
        {
            var trigger = await _site.Weft().RunAsync("dags", "trigger", "pooled");
            Assert.True(trigger.ExitCode == 0, trigger.ToString());
        }

        await FaultSite.UntilAsync(
            async () => (await _site.RunsAsync("pooled")) is { Count: 3 } runs && runs.All(FaultSite.Finished),
            TimeSpan.FromSeconds(60),
            () => "three runs finishing\n" + server.Output);
        Assert.All(await _site.RunsAsync("pooled"), r => Assert.Equal(RunState.Success, r.State));

        // Start and end marks alternate: never two tasks in the pool at once.
        var marks = File.ReadAllLines(spans).Select(l => l.Split(' ')).Select(p => (Kind: p[0], At: double.Parse(p[1], CultureInfo.InvariantCulture))).OrderBy(m => m.At).ToList();
        output.WriteLine(string.Join("\n", marks));
        Assert.Equal(6, marks.Count);
        Assert.Equal(["start", "end", "start", "end", "start", "end"], marks.Select(m => m.Kind));
    }

    private static async Task<bool> MountAsync(string folder)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/bin/mount") && !File.Exists("/usr/bin/mount"))
        {
            return false;
        }

        using var mount = Process.Start(new ProcessStartInfo("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", folder]) { RedirectStandardError = true, UseShellExecute = false })!;
        await mount.StandardError.ReadToEndAsync();
        await mount.WaitForExitAsync();
        return mount.ExitCode == 0;
    }

    private static async Task UnmountAsync(string folder)
    {
        using var umount = Process.Start(new ProcessStartInfo("umount", ["-l", folder]) { RedirectStandardError = true, UseShellExecute = false })!;
        await umount.StandardError.ReadToEndAsync();
        await umount.WaitForExitAsync();
    }
}
