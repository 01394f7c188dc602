using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Weft.Cli.Tests.Commands;

/// <summary>
/// A real <c>weft server</c> process in a folder, with the environment rules of <see cref="WeftProcess"/>: its output
/// is collected as it comes, it can be sent signals, and it is killed on dispose if it is still running.
/// </summary>
internal sealed partial class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _pumps;

    public ServerProcess(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(WeftProcessHost.Dotnet())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(WeftProcess.WeftDll);
        start.ArgumentList.Add("server");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("WEFT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["NO_COLOR"] = "1";
        _process = Process.Start(start)!;
        _process.StandardInput.Close();
        _pumps = Task.WhenAll(PumpAsync(_process.StandardOutput, _stdout), PumpAsync(_process.StandardError, _stderr));
    }

    /// <summary>Everything printed so far, for assertion messages.</summary>
    public string Output
    {
        get
        {
            lock (_stdout)
            {
                lock (_stderr)
                {
                    return $"--- stdout ---\n{_stdout}--- stderr ---\n{_stderr}";
                }
            }
        }
    }

    /// <summary>Waits for the first-start line <c>  URL/?token=TOKEN</c>; returns the base URL and the token.</summary>
    public async Task<(Uri BaseUrl, string Token)> WaitForLoginUrlAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            string text;
            lock (_stdout)
            {
                text = _stdout.ToString();
            }

            if (LoginLine().Match(text) is { Success: true } m)
            {
                return (new Uri(m.Groups["url"].Value), m.Groups["token"].Value);
            }

            if (_process.HasExited)
            {
                await _pumps;
                throw new Xunit.Sdk.XunitException($"weft server exited ({_process.ExitCode}) before printing the login URL\n{Output}");
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"weft server printed no login URL within {timeout.TotalSeconds:0}s\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Sends SIGTERM, as a service manager stops it.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    /// <summary>Waits for the exit; returns the exit code and how long it took.</summary>
    public async Task<(int ExitCode, TimeSpan Elapsed)> WaitForExitAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"weft server did not exit within {timeout.TotalSeconds:0}s\n{Output}");
        }

        await _pumps;
        return (_process.ExitCode, clock.Elapsed);
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

    [GeneratedRegex(@"^\s+(?<url>http://\S+?)/\?token=(?<token>weft_[A-Za-z0-9_-]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex LoginLine();

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

/// <summary>The dotnet host that runs <c>weft.dll</c>: the one that launched the tests, else the one on PATH.</summary>
internal static class WeftProcessHost
{
    public static string Dotnet()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
