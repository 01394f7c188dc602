using System.Text.Json;

namespace Weft.Cli.Tests.EngineRuns;

/// <summary>Outputs, parameters and the environment tasks see.</summary>
public sealed class DataTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Outputs_SingleAndMultiLine_FlowDownstream_AndAppearInTheRunJson()
    {
        var file = _dir.Write("outputs.yaml", """
            id: outputs
            tasks:
              - id: produce
                command: |
                  echo "rows=42" >> "$WEFT_OUTPUT"
                  {
                    echo "report<<EOF"
                    echo "first line"
                    echo "  second: indented"
                    echo "EOF"
                  } >> "$WEFT_OUTPUT"
              - id: consume
                depends_on: [produce]
                env:
                  REPORT: ${{ tasks.produce.outputs.report }}
                command: |
                  echo "seen=${{ tasks.produce.outputs.rows }}" >> "$WEFT_OUTPUT"
                  echo "lines=$(printf '%s\n' "$REPORT" | wc -l)" >> "$WEFT_OUTPUT"
                  printf 'copy<<END\n%s\nEND\n' ${{ tasks.produce.outputs.report }} >> "$WEFT_OUTPUT"
            """);

        var run = await EngineRun.StartAsync(_dir.Weft(), file);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("42", run.Output("produce", "rows"));
        Assert.Equal("first line\n  second: indented", run.Output("produce", "report"));
        Assert.Equal("42", run.Output("consume", "seen"));
        Assert.Equal("2", run.Output("consume", "lines"));
        Assert.Equal("first line\n  second: indented", run.Output("consume", "copy"));
    }

    [Fact]
    public async Task ParameterWithShellSyntax_IsPassedLiterally()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "victim"));
        File.WriteAllText(Path.Combine(_dir.Path, "victim", "keep.txt"), "precious");
        var file = _dir.Write("inject.yaml", """
            id: inject
            params:
              v: harmless
            tasks:
              - id: echo_back
                command: echo "got=${{ params.v }}" >> "$WEFT_OUTPUT"; echo ${{ params.v }} > echoed.txt
            """);

        var value = "x; rm -rf ./victim $(touch pwned) `touch pwned2` && echo 'q\"";
        var run = await EngineRun.StartAsync(_dir.Weft(), file, "--param", "v=" + value);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("got=" + value, "got=" + run.Output("echo_back", "got"));
        Assert.Equal(value, File.ReadAllText(Path.Combine(_dir.Path, "echoed.txt")).TrimEnd('\n'));
        Assert.True(File.Exists(Path.Combine(_dir.Path, "victim", "keep.txt")), "the parameter ran as a command");
        Assert.False(File.Exists(Path.Combine(_dir.Path, "pwned")));
        Assert.False(File.Exists(Path.Combine(_dir.Path, "pwned2")));
        Assert.Equal(value, run.Run.GetProperty("conf").GetProperty("v").GetString());
    }

    [Fact]
    public async Task EnvironmentVariables_OfTheContract_ArePresent_AndTheTmpFolderIsRemoved()
    {
        var file = _dir.Write("envs.yaml", """
            id: envs
            params:
              day: "2024-06-01"
              extra: ""
            tasks:
              - id: first
                command: |
                  for v in WEFT_DAG_ID WEFT_RUN_ID WEFT_TASK_ID WEFT_ATTEMPT WEFT_LOGICAL_DATE WEFT_DATA_INTERVAL_START WEFT_DATA_INTERVAL_END WEFT_PARAMS WEFT_OUTPUT WEFT_TMP TMP_DIR; do
                    printf '%s<<EOV\n%s\nEOV\n' "$v" "${!v}" >> "$WEFT_OUTPUT"
                  done
                  echo shared > "$WEFT_TMP/shared.txt"
              - id: second
                depends_on: [first]
                command: echo "read=$(cat "$TMP_DIR/shared.txt")" >> "$WEFT_OUTPUT"
            """);

        var run = await EngineRun.StartAsync(_dir.Weft(), file, "--param", "extra=1");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("envs", run.Output("first", "WEFT_DAG_ID"));
        Assert.Equal(run.RunId, run.Output("first", "WEFT_RUN_ID"));
        Assert.Equal("first", run.Output("first", "WEFT_TASK_ID"));
        Assert.Equal("1", run.Output("first", "WEFT_ATTEMPT"));
        Assert.Equal(run.Run.GetProperty("logical_date").GetString(), run.Output("first", "WEFT_LOGICAL_DATE"));
        Assert.Equal(run.Run.GetProperty("data_interval_start").GetString(), run.Output("first", "WEFT_DATA_INTERVAL_START"));
        Assert.Equal(run.Run.GetProperty("data_interval_end").GetString(), run.Output("first", "WEFT_DATA_INTERVAL_END"));
        using (var p = JsonDocument.Parse(run.Output("first", "WEFT_PARAMS")!))
        {
            Assert.Equal("2024-06-01", p.RootElement.GetProperty("day").GetString());
            Assert.Equal("1", p.RootElement.GetProperty("extra").GetString());
        }

        Assert.False(string.IsNullOrEmpty(run.Output("first", "WEFT_OUTPUT")));
        var tmp = run.Output("first", "WEFT_TMP");
        Assert.False(string.IsNullOrEmpty(tmp));
        Assert.Equal(tmp, run.Output("first", "TMP_DIR"));
        Assert.Equal("shared", run.Output("second", "read"));
        Assert.False(Directory.Exists(tmp), $"WEFT_TMP {tmp} is left after the run");
    }

    [Fact]
    public async Task TmpFolder_IsRemoved_AlsoWhenTheRunFails()
    {
        var file = _dir.Write("tmp_fail.yaml", """
            id: tmp_fail
            tasks:
              - id: leave
                command: echo "tmp=$WEFT_TMP" >> "$WEFT_OUTPUT"; mkdir -p "$WEFT_TMP/deep/er"; touch "$WEFT_TMP/deep/er/f"; exit 1
            """);

        var run = await EngineRun.StartAsync(_dir.Weft(), file);

        Assert.Equal(1, run.ExitCode);
        var tmp = run.Output("leave", "tmp");
        Assert.False(string.IsNullOrEmpty(tmp), run.ToString());
        Assert.False(Directory.Exists(tmp), $"WEFT_TMP {tmp} is left after a failed run");
    }

    [Fact]
    public async Task OnFailureHook_GetsTheRunJsonOnStdin()
    {
        var file = _dir.Write("hooked.yaml", """
            id: hooked
            on_failure: { command: "cat > hook_input.json" }
            on_success: { command: "touch success_hook_ran" }
            tasks:
              - id: boom
                command: exit 1
            """);

        var run = await EngineRun.StartAsync(_dir.Weft(), file);

        Assert.Equal(1, run.ExitCode);
        var hookFile = Path.Combine(_dir.Path, "hook_input.json");
        Assert.True(File.Exists(hookFile), "the on_failure hook did not run\n" + run);
        using var hook = JsonDocument.Parse(File.ReadAllText(hookFile));
        Assert.Equal("failed", hook.RootElement.GetProperty("state").GetString());
        Assert.Equal(run.RunId, hook.RootElement.GetProperty("run_id").GetString());
        Assert.Equal("failed", hook.RootElement.GetProperty("tasks")[0].GetProperty("state").GetString());
        Assert.False(File.Exists(Path.Combine(_dir.Path, "success_hook_ran")));
    }

    [Fact]
    public async Task OnSuccessHook_RunsOnlyOnSuccess()
    {
        var file = _dir.Write("hooked_ok.yaml", """
            id: hooked_ok
            on_failure: { command: "touch failure_hook_ran" }
            on_success: { command: "cat > ok.json" }
            tasks:
              - id: fine
                command: "true"
            """);

        var run = await EngineRun.StartAsync(_dir.Weft(), file);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var hook = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir.Path, "ok.json")));
        Assert.Equal("success", hook.RootElement.GetProperty("state").GetString());
        Assert.False(File.Exists(Path.Combine(_dir.Path, "failure_hook_ran")));
    }
}
