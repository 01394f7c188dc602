using System.Diagnostics;
using System.Text;

namespace Weft.Cli.Tests.EngineRuns;

/// <summary>
/// A <c>weft</c> process left running while the test acts on it (signals, kill -9), with the same
/// environment rules as <see cref="WeftProcess"/>.
/// </summary>
internal sealed class BackgroundWeft : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _pumps;
    private readonly string[] _args;

    public BackgroundWeft(string workingDirectory, params string[] args)
        : this(workingDirectory, null, args)
    {
    }

    /// <summary>Starts weft with <paramref name="environment"/> added to the cleaned environment.</summary>
    public BackgroundWeft(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        _args = args;
        var start = WeftProcess.StartInfo(workingDirectory, args);
        // Through env(1), which restores SIGINT and SIGQUIT and execs weft in place (same pid): a test suite started in
        // the background inherits them ignored, and then the test's Ctrl+C would never reach weft, as for any
        // background job; signals here must act as a user's would on a foreground command.
        if (File.Exists("/usr/bin/env"))
        {
            start.ArgumentList.Insert(0, start.FileName);
            start.ArgumentList.Insert(0, "--default-signal=INT,QUIT");
            start.FileName = "/usr/bin/env";
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start)!;
        _process.StandardInput.Close();
        _pumps = Task.WhenAll(PumpAsync(_process.StandardOutput, _stdout), PumpAsync(_process.StandardError, _stderr));
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Standard output so far.</summary>
    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>Everything printed so far, for assertion messages.</summary>
    public string Output
    {
        get
        {
            lock (_stderr)
            {
                return $"--- stdout ---\n{Stdout}--- stderr ---\n{_stderr}";
            }
        }
    }

    /// <summary>Sends a signal (by name, as <c>kill</c> takes it) to the weft process only.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{name}", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    /// <summary>Waits for the process to exit and returns what it did.</summary>
    public async Task<WeftResult> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"weft {string.Join(' ', _args)} did not exit within {timeout.TotalSeconds:0}s\n{_stdout}\n{_stderr}");
        }

        await _pumps;
        return new WeftResult(_args, _process.ExitCode, _stdout.ToString(), _stderr.ToString(), clock.Elapsed);
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails when the process exits first or time runs out.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (_process.HasExited)
            {
                await _pumps;
                throw new Xunit.Sdk.XunitException($"weft exited ({_process.ExitCode}) before {what}\n{_stdout}\n{_stderr}");
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds:0}s\n{_stdout}\n{_stderr}");
            }

            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (into)
            {
                into.Append(buffer, 0, read);
            }
        }
    }
}

/// <summary>Tests that measure time or count processes on the machine; they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialEngineTests
{
    public const string Name = "engine, serial";
}
