using System.Diagnostics;
using System.Text;

namespace Weft.Cli.Tests;

/// <summary>
/// Runs the built <c>weft</c> binary (the <c>weft.dll</c> copied next to the test assembly) as a real
/// process with <c>dotnet weft.dll …</c>, captures its output and exit code, and kills it (with its
/// children) when it overruns the timeout. With <c>WEFT_TEST_EXECUTABLE</c> set, the tests run that executable
/// instead: <c>scripts/test.sh</c> runs them again on the native weft.
/// </summary>
internal sealed class WeftProcess
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public WeftProcess(string workingDirectory)
    {
        WorkingDirectory = workingDirectory;
    }

    /// <summary>The folder weft runs in; relative paths in arguments are resolved from it.</summary>
    public string WorkingDirectory { get; }

    /// <summary>Extra environment variables for the child; a null value removes the variable.</summary>
    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>How long a run may take before it is killed and <see cref="TimeoutException"/> is thrown.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>The path of <c>weft.dll</c>.</summary>
    public static string WeftDll { get; } = Path.Combine(AppContext.BaseDirectory, "weft.dll");

    /// <summary>A weft executable to run instead of <c>dotnet weft.dll</c>.</summary>
    public static string? Executable { get; } = System.Environment.GetEnvironmentVariable("WEFT_TEST_EXECUTABLE") is { Length: > 0 } path
        ? Path.GetFullPath(path)
        : null;

    /// <summary>Runs <c>weft</c> with the arguments and waits for it to exit.</summary>
    public Task<WeftResult> RunAsync(params string[] args) => RunAsync(args, standardInput: null);

    /// <summary>Runs <c>weft</c> with the arguments, writing <paramref name="standardInput"/> to it, and waits for it to exit.</summary>
    public async Task<WeftResult> RunAsync(IEnumerable<string> args, string? standardInput, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Executable ?? WeftDll))
        {
            throw new FileNotFoundException($"weft is not where the tests look for it; build the solution first ({Executable ?? WeftDll})");
        }

        var start = StartInfo(WorkingDirectory, args);
        foreach (var (key, value) in Environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var clock = Stopwatch.StartNew();
        process.Start();
        var readOut = PumpAsync(process.StandardOutput, stdout);
        var readErr = PumpAsync(process.StandardError, stderr);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput).ConfigureAwait(false);
        }

        process.StandardInput.Close();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await Task.WhenAll(readOut, readErr).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new TimeoutException($"weft {string.Join(' ', args)} did not exit within {Timeout.TotalSeconds:0}s\nstdout:\n{stdout}\nstderr:\n{stderr}");
        }

        await Task.WhenAll(readOut, readErr).ConfigureAwait(false);
        return new WeftResult([.. args], process.ExitCode, stdout.ToString(), stderr.ToString(), clock.Elapsed);
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            lock (into)
            {
                into.Append(buffer, 0, read);
            }
        }
    }

    /// <summary>
    /// How every test starts <c>dotnet weft.dll ARGS</c>: output and input redirected, no colour, and none of the
    /// <c>WEFT_</c> settings of whoever runs the tests.
    /// </summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Executable ?? DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (Executable is null)
        {
            start.ArgumentList.Add(WeftDll);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("WEFT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["NO_COLOR"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return start;
    }

    // The SDK tells test hosts which dotnet launched them; fall back to the one on PATH.
    private static string DotnetHost()
    {
        var host = System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var current = System.Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}

/// <summary>What a <c>weft</c> process did.</summary>
internal sealed record WeftResult(IReadOnlyList<string> Args, int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>Standard output split into lines, without the final empty one.</summary>
    public string[] StdoutLines => Lines(Stdout);

    /// <summary>Standard error split into lines, without the final empty one.</summary>
    public string[] StderrLines => Lines(Stderr);

    /// <summary>Everything about the run, for assertion messages.</summary>
    public override string ToString() =>
        $"weft {string.Join(' ', Args)} -> exit {ExitCode} in {Elapsed.TotalMilliseconds:0} ms\n--- stdout ---\n{Stdout}--- stderr ---\n{Stderr}";

    private static string[] Lines(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n') is { Length: > 0 } trimmed ? trimmed.Split('\n') : [];
}
