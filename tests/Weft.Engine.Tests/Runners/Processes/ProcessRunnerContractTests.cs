using System.ComponentModel;
using System.Diagnostics;
using Weft.Engine.Runners;
using Weft.Engine.Runners.Processes;
using Weft.Engine.Runners.Processes.Native;

namespace Weft.Engine.Tests.Runners.Processes;

/// <summary>What both ways of running a process must do alike; one subclass per way.</summary>
public abstract class ProcessRunnerContractTests : IDisposable
{
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "weft-process-tests", Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private protected abstract Task<ProcessExit> RunAsync(ProcessSpec spec, ITaskLog log, CancellationToken cancellationToken);

    private protected ProcessSpec Sh(string script, bool newSession = false, IReadOnlyDictionary<string, string>? env = null) =>
        new("/bin/sh", ["-c", script], _dir, env ?? new Dictionary<string, string>(), newSession);

    private protected async Task<(ProcessExit Exit, MemoryLog Log)> RunShAsync(string script, bool newSession = false,
        IReadOnlyDictionary<string, string>? env = null, CancellationToken cancellationToken = default)
    {
        var log = new MemoryLog();
        var exit = await RunAsync(Sh(script, newSession, env), log, cancellationToken);
        return (exit, log);
    }

    [Theory]
    [InlineData("exit 0", 0)]
    [InlineData("exit 3", 3)]
    [InlineData("exit 255", 255)]
    [InlineData("kill -TERM $$", 143)]
    [InlineData("kill -KILL $$", 137)]
    [InlineData("kill -SEGV $$", 139)]
    public async Task RunAsync_ExitCodeOrSignal_IsReportedAsBashDoes(string script, int expected)
    {
        var (exit, _) = await RunShAsync(script);

        Assert.Equal(new ProcessExit(expected, Cancelled: false), exit);
    }

    [Fact]
    public async Task RunAsync_StdoutAndStderr_AreLoggedLineByLineWithTheirStream()
    {
        var (exit, log) = await RunShAsync("echo one; echo two >&2; sleep 0.05; printf 'three\\r\\nfour\\rfive'; printf 'é €\\n' >&2");

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(["one", "three", "four", "five"], log.Stream("stdout"));
        Assert.Equal(["two", "é €"], log.Stream("stderr"));
        // Lines a second apart keep their order across the two streams.
        Assert.True(log.Lines.ToList().IndexOf("[stderr] two") < log.Lines.ToList().IndexOf("[stdout] three"));
    }

    [Fact]
    public async Task RunAsync_ManyLines_AllArriveInOrder()
    {
        var (exit, log) = await RunShAsync("seq 1 20000");

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(Enumerable.Range(1, 20000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), log.Stream("stdout"));
    }

    [Fact]
    public async Task RunAsync_MissingProgram_Throws()
    {
        var spec = new ProcessSpec(Path.Combine(_dir, "missing"), [], _dir, new Dictionary<string, string>(), NewSession: false);

        await Assert.ThrowsAsync<Win32Exception>(() => RunAsync(spec, new MemoryLog(), CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_FileWithoutShebang_Throws()
    {
        var path = Path.Combine(_dir, "plain");
        File.WriteAllText(path, "echo hi\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }

        var spec = new ProcessSpec(path, [], _dir, new Dictionary<string, string>(), NewSession: false);

        await Assert.ThrowsAsync<Win32Exception>(() => RunAsync(spec, new MemoryLog(), CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_WorkingDirectoryArgumentsAndStdin_AreTheSpecs()
    {
        var spec = new ProcessSpec("/bin/sh", ["-c", "pwd; echo \"$1|$2\"; cat; echo end", "sh", "a b", "ü"], _dir,
            new Dictionary<string, string>(), NewSession: false);
        var log = new MemoryLog();

        var exit = await RunAsync(spec, log, CancellationToken.None);

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal([_dir, "a b|ü", "end"], log.Stream("stdout"));
    }

    [Fact]
    public async Task RunAsync_Environment_IsTheEnginesPlusTheAttempts()
    {
        var env = new Dictionary<string, string> { ["WEFT_TEST_VALUE"] = "x=y ü", ["HOME"] = "/overridden" };

        var (_, log) = await RunShAsync("echo \"$WEFT_TEST_VALUE\"; echo \"$HOME\"; echo \"$PATH\"", env: env);

        Assert.Equal(["x=y ü", "/overridden", Environment.GetEnvironmentVariable("PATH") ?? ""], log.Stream("stdout"));
    }

    [Fact]
    public async Task RunAsync_ChildClosesStdoutEarly_StillReadsStderrAndWaitsForTheExit()
    {
        var (exit, log) = await RunShAsync("echo first; exec >&-; sleep 0.2; echo late >&2; exit 4");

        Assert.Equal(4, exit.ExitCode);
        Assert.Equal(["first"], log.Stream("stdout"));
        Assert.Equal(["late"], log.Stream("stderr"));
    }

    [Fact]
    public async Task RunAsync_OwnSession_BackgroundChildIsKilledAtExit()
    {
        var marker = UniqueSleep();
        var watch = Stopwatch.StartNew();

        var (exit, log) = await RunShAsync($"sleep {marker} & echo started", newSession: true);

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(["started"], log.Stream("stdout"));
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1.5));
        Assert.Empty(await ProcessProbe.PgrepAsync($"sleep {marker}"));
    }

    [Fact]
    public async Task RunAsync_GrandchildOutsideTheGroupHoldsThePipe_GivesUpAfterTheDrainLimit()
    {
        var marker = UniqueSleep();
        var watch = Stopwatch.StartNew();

        var (exit, log) = await RunShAsync($"sleep {marker} & echo started", newSession: false);

        try
        {
            Assert.Equal(0, exit.ExitCode);
            Assert.InRange(watch.Elapsed, ProcessRunner.DrainLimit - TimeSpan.FromMilliseconds(100), ProcessRunner.DrainLimit + TimeSpan.FromSeconds(2));
            Assert.Equal(["started"], log.Stream("stdout"));
            Assert.Contains(log.Stream("weft"), l => l.Contains("still holds its output open", StringComparison.Ordinal));
        }
        finally
        {
            await KillAsync($"sleep {marker}");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_Cancelled_KillsTheProcessAndItsDescendants(bool newSession)
    {
        var marker = UniqueSleep();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var watch = Stopwatch.StartNew();

        // A child, a grandchild below a subshell, and the main process itself all sleeping.
        var (exit, _) = await RunShAsync($"sleep {marker} & (sleep {marker}; true) & sleep {marker}; wait", newSession, cancellationToken: cts.Token);

        Assert.True(exit.Cancelled);
        Assert.Equal(137, exit.ExitCode);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        Assert.Empty(await ProcessProbe.PgrepAsync($"sleep {marker}"));
    }

    [Fact]
    public async Task RunAsync_ManyAtOnce_EachGetsItsOwnExitAndOutput()
    {
        var runs = Enumerable.Range(0, 40).Select(i => RunShAsync($"echo {i}; exit {i % 7}")).ToArray();

        var results = await Task.WhenAll(runs);

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(i % 7, results[i].Exit.ExitCode);
            Assert.Equal([i.ToString(System.Globalization.CultureInfo.InvariantCulture)], results[i].Log.Stream("stdout"));
        }
    }

    // A sleep length no other process uses, so pgrep finds exactly this test's sleeps.
    private protected static string UniqueSleep() => $"40.{Random.Shared.Next(100_000, 999_999)}";

    private static async Task KillAsync(string pattern)
    {
        using var pkill = Process.Start(new ProcessStartInfo("pkill", ["-f", pattern]))!;
        await pkill.WaitForExitAsync();
    }
}

/// <summary>The contract through the Linux launcher.</summary>
public sealed class NativeProcessRunnerTests : ProcessRunnerContractTests
{
    private protected override Task<ProcessExit> RunAsync(ProcessSpec spec, ITaskLog log, CancellationToken cancellationToken) =>
        NativeProcessRunner.RunAsync(spec, log, null, cancellationToken);

    [Fact]
    public void IsAvailable_OnLinux_AndUsedByDefault()
    {
        // On this project's Linux machines the launcher must be in use; a silent fallback would hide a regression.
        Assert.Equal(OperatingSystem.IsLinux(), Spawner.IsAvailable);
        Assert.Equal(Spawner.IsAvailable, ProcessRunner.UseNative);
    }

    [Fact]
    public async Task RunAsync_Child_HasDefaultSignalsAnEmptyMaskAndDevNullAsStdin()
    {
        var (exit, log) = await RunShAsync("grep -E '^Sig(Blk|Ign)' /proc/self/status; readlink /proc/self/fd/0");

        Assert.Equal(0, exit.ExitCode);
        var lines = log.Stream("stdout");
        Assert.Equal(3, lines.Count);
        Assert.Equal("SigBlk:\t0000000000000000", lines[0]);
        // glibc's posix_spawn (as used by make too) leaves its two internal real-time signals ignored; the
        // standard ones are all at their default.
        var ignored = Convert.ToUInt64(lines[1]["SigIgn:\t".Length..], 16);
        Assert.Equal(0UL, ignored & 0x7FFF_FFFF);
        Assert.Equal("/dev/null", lines[2]);
    }

    [Fact]
    public async Task RunAsync_WriterToAClosedPipe_DiesOfSigpipeQuietly()
    {
        // With SIGPIPE ignored (as in the runtime) yes would print "Broken pipe" and exit 1.
        var (exit, log) = await RunShAsync("yes | head -n 1");

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(["y"], log.Stream("stdout"));
        Assert.Empty(log.Stream("stderr"));
    }

    [Fact]
    public async Task RunAsync_CancelledWhileForking_LeavesNoChildBehind()
    {
        // No group to fall back on: only the frozen tree walk can catch children forked while it runs.
        var marker = UniqueSleep();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var (exit, _) = await RunShAsync($"while :; do sleep {marker} & sleep 0.005; done", newSession: false, cancellationToken: cts.Token);

        Assert.True(exit.Cancelled);
        Assert.Empty(await ProcessProbe.PgrepAsync($"sleep {marker}"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_NewSession_IsLeaderOfItsOwnSessionOnlyWhenAsked(bool newSession)
    {
        var (_, log) = await RunShAsync("ps -o sid= -o pgid= -p $$ | tr -s ' '; echo $$", newSession);

        var ids = log.Stream("stdout")[0].Trim().Split(' ');
        var pid = log.Stream("stdout")[1];
        Assert.Equal(newSession, ids[0] == pid);
        Assert.Equal(newSession, ids[1] == pid);
    }
}

/// <summary>The contract through the runtime's <see cref="Process"/>, the fallback.</summary>
public sealed class DotNetProcessRunnerTests : ProcessRunnerContractTests
{
    private protected override Task<ProcessExit> RunAsync(ProcessSpec spec, ITaskLog log, CancellationToken cancellationToken) =>
        DotNetProcessRunner.RunAsync(spec, log, null, cancellationToken);
}
