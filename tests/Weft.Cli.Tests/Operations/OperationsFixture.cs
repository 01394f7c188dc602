using System.Text.Json;

namespace Weft.Cli.Tests.Operations;

/// <summary>DAG files and helpers the operator command tests share; each test gets its own folder and database.</summary>
internal static class OperationsFixture
{
    /// <summary>say echoes a line and sets an output; quiet is a noop, so it leaves no log.</summary>
    public const string Echo = """
        id: echo
        tags: [demo]
        tasks:
          - id: say
            command: echo "hello from weft"; echo "rows=42" >> "$WEFT_OUTPUT"
          - id: quiet
            type: noop
            depends_on: [say]
        """;

    /// <summary>first counts its runs in count.txt; gate fails until marker exists; after follows gate.</summary>
    public const string Gated = """
        id: gated
        tasks:
          - id: first
            command: echo ran >> count.txt
          - id: gate
            command: test -f marker
            depends_on: [first]
          - id: after
            command: echo after
            depends_on: [gate]
        """;

    /// <summary>Runs a DAG of the folder's dags/ by id and returns the run id (whatever the run's outcome).</summary>
    public static async Task<string> RunAsync(TempFolder dir, string dagId, int expectedExit = 0)
    {
        var run = await dir.Weft().RunAsync("run", dagId, "--json");
        Assert.True(run.ExitCode == expectedExit, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        return json.RootElement.GetProperty("run_id").GetString()!;
    }

    /// <summary>Runs weft and parses its stdout as JSON, asserting the exit code.</summary>
    public static async Task<JsonDocument> JsonAsync(TempFolder dir, params string[] args)
    {
        var result = await dir.Weft().RunAsync([.. args, "--json"], standardInput: null);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Stdout);
    }

    public static JsonElement Task(this JsonElement run, string taskId) =>
        run.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("task_id").GetString() == taskId);
}
