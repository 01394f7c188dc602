namespace Weft.Cli.Tests.EngineRuns;

public sealed class ScriptAndExampleTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ScriptTasks_ArgsAsListAndAsMap_FromTheTasksDir()
    {
        _dir.Write("scripts/emit.sh", """
            #!/usr/bin/env bash
            set -euo pipefail
            i=0
            for a in "$@"; do
              printf 'arg%s<<EOA\n%s\nEOA\n' "$i" "$a" >> "$WEFT_OUTPUT"
              i=$((i+1))
            done
            echo "count=$#" >> "$WEFT_OUTPUT"
            """);
        _dir.Write("scripts/opts.py", """
            import argparse, os
            p = argparse.ArgumentParser()
            p.add_argument("--input", required=True)
            p.add_argument("--label")
            a = p.parse_args()
            with open(os.environ["WEFT_OUTPUT"], "a") as f:
                f.write(f"input={a.input}\nlabel={a.label}\n")
            """);
        var file = _dir.Write("flows/scripts.yaml", """
            id: scripts
            params:
              name: "two words"
            tasks:
              - id: listed
                script: emit.sh
                args: [--name, "${{ params.name }}", "a;b", "$HOME"]
              - id: mapped
                depends_on: [listed]
                script: opts.py
                args:
                  input: ${{ tasks.listed.outputs.arg1 }}
                  label: run of ${{ dag.id }}
            """);

        var run = await EngineRun.StartAsync(_dir.Weft(), file, "--tasks-dir", "scripts");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("4", run.Output("listed", "count"));
        Assert.Equal("--name", run.Output("listed", "arg0"));
        Assert.Equal("two words", run.Output("listed", "arg1"));
        Assert.Equal("a;b", run.Output("listed", "arg2"));
        Assert.Equal("$HOME", run.Output("listed", "arg3"));
        Assert.Equal("two words", run.Output("mapped", "input"));
        Assert.Equal("run of scripts", run.Output("mapped", "label"));
    }

    [Fact]
    public async Task ScriptTask_MissingScript_FailsTheTask()
    {
        var file = _dir.Write("missing.yaml", """
            id: missing
            tasks:
              - id: gone
                script: not_there.sh
            """);

        var run = await EngineRun.StartAsync(_dir.Weft(), file, "--tasks-dir", "scripts");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("failed", run.TaskState("gone"));
        Assert.Contains("not_there.sh", run.Task("gone").GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelloExample_RunsFromAFreshFolder()
    {
        var hello = Path.Combine(Machine.RepositoryRoot(), "examples", "dags", "hello.yaml");

        var result = await _dir.Weft().RunAsync("run", hello);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(Path.Combine(_dir.Path, ".weft", "weft.db")), "the database was not created under ./.weft");
        Assert.Contains(result.StdoutLines, l => l.Contains("success", StringComparison.Ordinal));
    }

    public static TheoryData<string> Examples() =>
        [.. Directory.GetFiles(Path.Combine(Machine.RepositoryRoot(), "examples", "dags")).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task EveryExample_RunsToSuccess(string example)
    {
        var path = Path.Combine(Machine.RepositoryRoot(), "examples", "dags", example);

        var run = await EngineRun.StartAsync(_dir.Weft(), path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("success", run.State);
        Assert.All(run.Run.GetProperty("tasks").EnumerateArray(), t =>
            Assert.Contains(t.GetProperty("state").GetString(), new[] { "success", "skipped" }));
    }

    [Fact]
    public async Task RetriesExample_RetriesTheFlakyTask_AndSkipsTheAlert()
    {
        var path = Path.Combine(Machine.RepositoryRoot(), "examples", "dags", "retries_and_trigger_rules.yaml");

        var run = await EngineRun.StartAsync(_dir.Weft(), path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, run.Task("flaky").GetProperty("try_number").GetInt32());
        Assert.Equal("skipped", run.TaskState("alert"));
        Assert.Equal("success", run.TaskState("cleanup"));
    }

    [Fact]
    public async Task ScriptFlowExample_PassesTheFileDownstream()
    {
        var path = Path.Combine(Machine.RepositoryRoot(), "examples", "dags", "script_flow.yaml");

        var run = await EngineRun.StartAsync(_dir.Weft(), path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("3", run.Output("summarize", "lines"));
    }
}
