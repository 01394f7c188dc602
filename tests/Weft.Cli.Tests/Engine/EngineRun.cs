using System.Diagnostics;
using System.Text.Json;

namespace Weft.Cli.Tests.EngineRuns;

/// <summary>A finished <c>weft run --json</c>: the process result and the run JSON it printed.</summary>
internal sealed class EngineRun
{
    private EngineRun(WeftResult result, JsonElement run)
    {
        Result = result;
        Run = run;
    }

    public WeftResult Result { get; }

    /// <summary>The run object of the contract.</summary>
    public JsonElement Run { get; }

    public int ExitCode => Result.ExitCode;

    public string State => Run.GetProperty("state").GetString()!;

    public string RunId => Run.GetProperty("run_id").GetString()!;

    /// <summary>The run's own start and end, as the JSON reports them.</summary>
    public TimeSpan Elapsed => Time(Run, "end_date") - Time(Run, "start_date");

    /// <summary>One task of the run.</summary>
    public JsonElement Task(string id) =>
        Run.GetProperty("tasks").EnumerateArray().FirstOrDefault(t => t.GetProperty("task_id").GetString() == id) is { ValueKind: JsonValueKind.Object } task
            ? task
            : throw new Xunit.Sdk.XunitException($"no task '{id}' in the run JSON\n{Result}");

    public string TaskState(string id) => Task(id).GetProperty("state").GetString()!;

    public string? Output(string task, string key) =>
        Task(task).GetProperty("outputs").TryGetProperty(key, out var v) ? v.GetString() : null;

    public override string ToString() => Result.ToString();

    /// <summary>Runs <c>weft run FILE --json ARGS…</c> and parses its output; fails the test when there is no run JSON.</summary>
    public static async Task<EngineRun> StartAsync(WeftProcess weft, string file, params string[] args)
    {
        var result = await weft.RunAsync(["run", file, "--json", .. args]);
        return Parse(result);
    }

    /// <summary>Parses the run JSON a <c>weft run --json</c> printed.</summary>
    public static EngineRun Parse(WeftResult result)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(result.Stdout);
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"weft did not print a run JSON ({e.Message})\n{result}");
        }

        return new EngineRun(result, doc.RootElement.Clone());
    }

    public static DateTimeOffset Time(JsonElement element, string property) =>
        DateTimeOffset.Parse(element.GetProperty(property).GetString()!, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Helpers for what tasks leave behind on the machine.</summary>
internal static class Machine
{
    /// <summary>True when a process whose command line contains <paramref name="pattern"/> is alive.</summary>
    public static bool ProcessAlive(string pattern)
    {
        using var pgrep = Process.Start(new ProcessStartInfo("pgrep", ["-f", pattern]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        pgrep.StandardOutput.ReadToEnd();
        pgrep.WaitForExit();
        return pgrep.ExitCode == 0;
    }

    /// <summary>Waits up to <paramref name="within"/> for no process matching <paramref name="pattern"/> to be left.</summary>
    public static async Task<bool> GoneAsync(string pattern, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (ProcessAlive(pattern))
        {
            if (clock.Elapsed > within)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    /// <summary>Lines of a file, or none when it does not exist.</summary>
    public static string[] Lines(string path) => File.Exists(path) ? File.ReadAllLines(path) : [];

    /// <summary>The repository's root folder (where Weft.slnx is).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Weft.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Weft.slnx not found above " + AppContext.BaseDirectory);
    }
}
