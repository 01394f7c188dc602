using System.Text.Json;
using Weft.Core.Dags;
using Weft.Core.Definitions;
using Weft.Core.Runs;
using static Weft.Core.Tests.Definitions.TestFiles;

namespace Weft.Core.Tests.Definitions;

public class DagLoaderTests
{
    private const string Full = """
        id: etl_daily
        name: Nightly ETL
        description: Nightly ETL
        schedule: "0 2 * * *"
        timezone: Europe/Amsterdam
        start_date: 2024-01-01
        end_date: null
        catchup: false
        max_active_runs: 1
        max_active_tasks: 8
        params: { date: "2024-01-01", limit: 10, full: true, cols: [a, b] }
        tags: [finance]
        defaults: { retries: 2, retry_delay: 30s }
        on_failure: { command: "notify.sh" }
        on_success: https://hooks.example.com/done
        tasks:
          - id: extract
            command: "python extract.py --day ${{ params.date }}"
            env: { MODE: full, LEVEL: 3, DEBUG: false }
            working_dir: .
            depends_on: []
          - id: load
            depends_on: [extract]
            type: http
            url: "https://api.example.com/load"
            method: post
            headers: { Authorization: "Bearer ${{ secrets.api_token }}" }
            body: { rows: "${{ tasks.extract.outputs.rows }}", n: 3 }
            expect_status: [200, 201]
            retries: 5
            timeout: 1h30m
            sla: PT2H
            retry_on_exit_codes: 3
            trigger_rule: none_failed
            retry_backoff: linear
            pool: db
            pool_slots: 2
            priority: 7
            queue: io
            critical: true
            skip_on_exit_code: 42
        """;

    [Fact]
    public void LoadText_ContractExample_MapsEveryField()
    {
        var r = Yaml(Full);
        Assert.False(r.HasErrors, Dump(r));
        var dag = r.Dag!;

        Assert.Equal("etl_daily", dag.Id);
        Assert.Equal("Nightly ETL", dag.DisplayName);
        Assert.Equal("0 2 * * *", dag.Schedule!.Text);
        Assert.Equal("Europe/Amsterdam", dag.TimeZone.Id);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(1)), dag.StartDate);
        Assert.Null(dag.EndDate);
        Assert.Equal(1, dag.MaxActiveRuns);
        Assert.Equal(8, dag.MaxActiveTasks);
        Assert.Equal("2024-01-01", dag.Params["date"].GetString());
        Assert.Equal(10, dag.Params["limit"].GetInt32());
        Assert.True(dag.Params["full"].GetBoolean());
        Assert.Equal(2, dag.Params["cols"].GetArrayLength());
        Assert.Equal<string>(["finance"], dag.Tags);
        Assert.Equal("notify.sh", dag.OnFailure!.Command);
        Assert.Equal(new Uri("https://hooks.example.com/done"), dag.OnSuccess!.Url);

        var extract = dag.Tasks[0];
        Assert.Equal(TaskType.Shell, extract.Type);
        Assert.Equal(2, extract.Retries);
        Assert.Equal(TimeSpan.FromSeconds(30), extract.RetryDelay);
        Assert.Equal("full", extract.Env["MODE"]);
        Assert.Equal("3", extract.Env["LEVEL"]);
        Assert.Equal("false", extract.Env["DEBUG"]);
        Assert.Equal(".", extract.WorkingDir);

        var load = dag.Tasks[1];
        Assert.Equal(TaskType.Http, load.Type);
        Assert.Equal("POST", load.Method);
        Assert.Equal(JsonValueKind.Object, load.Body!.Value.ValueKind);
        Assert.Equal(3, load.Body.Value.GetProperty("n").GetInt32());
        Assert.Equal<int>([200, 201], load.ExpectStatus);
        Assert.Equal(5, load.Retries);
        Assert.Equal(TimeSpan.FromSeconds(30), load.RetryDelay);
        Assert.Equal(TimeSpan.FromMinutes(90), load.Timeout);
        Assert.Equal(TimeSpan.FromHours(2), load.Sla);
        Assert.Equal<int>([3], load.RetryOnExitCodes);
        Assert.Equal(TriggerRule.NoneFailed, load.TriggerRule);
        Assert.Equal(RetryBackoff.Linear, load.RetryBackoff);
        Assert.Equal(("db", 2, 7, "io", true, 42), (load.Pool, load.PoolSlots, load.Priority, load.Queue, load.Critical, load.SkipOnExitCode));
    }

    [Fact]
    public void LoadText_RecordsPositionsOfFields()
    {
        var dag = Yaml(Full).Dag!;

        Assert.Equal(new SourcePosition("test.yaml", 4, 11), dag.PositionOf("schedule"));
        Assert.Equal(new SourcePosition("test.yaml", 17, 9), dag.Tasks[0].PositionOf("id"));
        Assert.Equal(new SourcePosition("test.yaml", 18, 14), dag.Tasks[0].PositionOf("command"));
        Assert.Equal(new SourcePosition("test.yaml", 23, 18), dag.Tasks[1].PositionOf("depends_on[0]"));
        Assert.Equal(new SourcePosition("test.yaml", 29, 20), dag.Tasks[1].PositionOf("expect_status"));
        // A field that came from 'defaults' points at the defaults.
        Assert.Equal(13, dag.Tasks[0].PositionOf("retries").Line);
    }

    [Fact]
    public void LoadText_Json_GivesSameModelWithPositions()
    {
        const string json = """
            {
              "id": "j",
              "params": {"date": "2024-01-01"},
              "tasks": [
                {"id": "a", "command": "echo ${{ params.date }}"},
                {"id": "b", "dependencies": ["a"], "url": "https://example.com", "expect_status": 204}
              ]
            }
            """;
        var r = DagLoader.LoadText(json, "dag.json");
        Assert.False(r.HasErrors, Dump(r));
        var dag = r.Dag!;

        Assert.Equal(new SourcePosition("dag.json", 5, 28), dag.Tasks[0].PositionOf("command"));
        Assert.Equal(new SourcePosition("dag.json", 6, 34), dag.Tasks[1].PositionOf("depends_on[0]"));
        Assert.Equal(TaskType.Http, dag.Tasks[1].Type);
        Assert.Equal<int>([204], dag.Tasks[1].ExpectStatus);
    }

    [Fact]
    public void LoadText_JsonExpressionError_PointsInsideTheString()
    {
        var r = DagLoader.LoadText("""{"id": "j", "tasks": [{"id": "a", "command": "echo ${{ params.nope }}"}]}""", "dag.json");
        AssertError(r, 1, 52, "unknown parameter 'nope'");
    }

    [Fact]
    public void LoadText_OtherOrchestratorStyle_LoadsUnchanged()
    {
        var r = Yaml("""
            name: legacy_pipeline
            default_args:
              retries: 1
              retry_delay: 1h30m
            start_date: 2024-03-01T06:30:00
            tasks:
              - id: fetch
                type: http
                command: https://example.com/data.json
              - id: parse
                type: python
                command: python3 -c "print(1)"
                dependencies: [fetch]
              - id: store
                type: bash
                command: echo stored
                upstream: parse
              - id: done
                type: command
                command: echo done
                depends_on: store
            """);
        Assert.False(r.HasErrors, Dump(r));
        var dag = r.Dag!;

        Assert.Equal("legacy_pipeline", dag.Id);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 6, 30, 0, TimeSpan.Zero), dag.StartDate);
        var fetch = dag.Tasks[0];
        Assert.Equal((TaskType.Http, "https://example.com/data.json", null, "GET"), (fetch.Type, fetch.Url, fetch.Command, fetch.Method));
        Assert.Equal(TaskType.Shell, dag.Tasks[1].Type);
        Assert.Equal<string>(["fetch"], dag.Tasks[1].DependsOn);
        Assert.Equal(TaskType.Shell, dag.Tasks[2].Type);
        Assert.Equal<string>(["parse"], dag.Tasks[2].DependsOn);
        Assert.Equal<string>(["store"], dag.Tasks[3].DependsOn);
        Assert.All(dag.Tasks, t => Assert.Equal(TimeSpan.FromMinutes(90), t.RetryDelay));
        Assert.All(dag.Tasks, t => Assert.Equal(1, t.Retries));
    }

    [Fact]
    public void LoadText_NameAndTasksAsMapping_AreAccepted()
    {
        var r = Yaml("""
            name: mapped
            tasks:
              first: { command: echo 1 }
              second: { command: echo 2, depends_on: first }
            """);
        Assert.False(r.HasErrors, Dump(r));
        Assert.Equal<string>(["first", "second"], r.Dag!.Tasks.Select(t => t.Id));
    }

    [Theory]
    [InlineData("command: echo", TaskType.Shell)]
    [InlineData("url: https://example.com", TaskType.Http)]
    [InlineData("script: run.sh", TaskType.Script)]
    [InlineData("description: join", TaskType.Noop)]
    [InlineData("type: sh\n    command: echo", TaskType.Shell)]
    [InlineData("type: python\n    script: x.py", TaskType.Script)]
    [InlineData("type: noop", TaskType.Noop)]
    public void LoadText_TaskType_IsInferredOrMapped(string fields, TaskType expected)
    {
        var r = Yaml($"id: t\ntasks:\n  - id: a\n    {fields}\n");
        Assert.False(r.HasErrors, Dump(r));
        Assert.Equal(expected, r.Dag!.Tasks[0].Type);
    }

    [Fact]
    public void LoadText_Defaults_ApplyToEveryTaskAndTaskFieldsWin()
    {
        var r = Yaml("""
            id: d
            defaults:
              retries: 3
              pool: shared
              env: { A: "1" }
              retries_x: 1
            tasks:
              - { id: a, command: echo a }
              - { id: b, command: echo b, retries: 0, env: { B: "2" }, depends_on: [a] }
            """);
        // The bad default is reported once, not once per task.
        Assert.Single(r.Diagnostics);
        AssertError(r, 6, 3, "unknown field 'retries_x' in 'defaults'", "did you mean 'retries'?");

        var ok = Yaml("id: d\ndefaults: { retries: 3, pool: shared }\ntasks:\n  - { id: a, command: echo a }\n  - { id: b, command: echo b, retries: 0 }\n").Dag!;
        Assert.Equal((3, "shared"), (ok.Tasks[0].Retries, ok.Tasks[0].Pool));
        Assert.Equal((0, "shared"), (ok.Tasks[1].Retries, ok.Tasks[1].Pool));
    }

    [Fact]
    public void LoadText_Args_ListAndMap()
    {
        var dag = Yaml("""
            id: args
            tasks:
              - id: list
                script: a.sh
                args: [--n, 3, "x y"]
              - id: map
                script: b.py
                args: { input: in.csv, limit: 5, verbose: true, quiet: false, tag: [a, b] }
            """).Dag!;

        Assert.Equal<string>(["--n", "3", "x y"], dag.Tasks[0].Args);
        Assert.Equal<string>(["--input", "in.csv", "--limit", "5", "--verbose", "--tag", "a", "--tag", "b"], dag.Tasks[1].Args);
    }

    [Fact]
    public void LoadText_Hooks_AcceptMappingsAndBareStrings()
    {
        var dag = Yaml("id: h\non_failure: ./alert.sh\non_success: { url: \"http://hooks/x\" }\ntasks: [{ id: a }]\n").Dag!;
        Assert.Equal("./alert.sh", dag.OnFailure!.Command);
        Assert.Equal(new Uri("http://hooks/x"), dag.OnSuccess!.Url);

        var bad = Yaml("id: h\non_failure: { command: a, url: \"https://x\" }\non_success: { cmd: x }\ntasks: [{ id: a }]\n");
        AssertError(bad, 2, 13, "both 'command' and 'url'");
        AssertError(bad, 3, 15, "unknown field 'cmd'");
    }

    [Theory]
    [InlineData("2024-06-01", "Europe/Amsterdam", "2024-06-01T00:00:00+02:00")]
    [InlineData("2024-01-15", "America/New_York", "2024-01-15T00:00:00-05:00")]
    [InlineData("2024-06-01T09:30:00", "America/New_York", "2024-06-01T09:30:00-04:00")]
    [InlineData("2024-06-01 09:30", "UTC", "2024-06-01T09:30:00+00:00")]
    [InlineData("2024-06-01T09:30:00Z", "Europe/Amsterdam", "2024-06-01T09:30:00+00:00")]
    [InlineData("2024-06-01T09:30:00+05:30", "Europe/Amsterdam", "2024-06-01T04:00:00+00:00")]
    public void LoadText_StartDate_IsAnInstantInTheDagsZone(string written, string zone, string expected)
    {
        var r = Yaml($"id: z\ntimezone: {zone}\nstart_date: {written}\ntasks: [{{ id: a }}]\n");
        Assert.False(r.HasErrors, Dump(r));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), r.Dag!.StartDate);
    }

    [Fact]
    public void LoadText_YamlAnchorsAndMergeKeys_Work()
    {
        var r = Yaml("""
            id: anchors
            tasks:
              - &base { id: a, command: echo a, retries: 4 }
              - { <<: *base, id: b, depends_on: [a] }
            """);
        Assert.False(r.HasErrors, Dump(r));
        Assert.Equal(("b", 4, "echo a"), (r.Dag!.Tasks[1].Id, r.Dag.Tasks[1].Retries, r.Dag.Tasks[1].Command));
    }

    [Fact]
    public void LoadText_FieldGivenTwice_IsReported()
    {
        var r = Yaml("id: twice\ntasks:\n  - id: a\n    depends_on: []\n    dependencies: []\n");
        AssertError(r, 5, 5, "'dependencies' and 'depends_on' are the same field", "line 4");
    }

    [Fact]
    public void LoadPath_Folder_ScansRecursivelySortedSkippingHidden()
    {
        var root = Directory.CreateTempSubdirectory("weft-scan-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "b", "deep"));
            Directory.CreateDirectory(Path.Combine(root, ".git"));
            File.WriteAllText(Path.Combine(root, "b", "deep", "z.yml"), "id: z\ntasks: [{ id: a }]\n");
            File.WriteAllText(Path.Combine(root, "a.json"), """{"id": "a", "tasks": [{"id": "t"}]}""");
            File.WriteAllText(Path.Combine(root, "c.yaml"), "id: c\ntasks: [{ id: a }]\n");
            File.WriteAllText(Path.Combine(root, "notes.txt"), "not a dag");
            File.WriteAllText(Path.Combine(root, ".git", "hidden.yaml"), "garbage: [");

            var results = DagLoader.LoadPath(root);

            Assert.Equal(["a", "z", "c"], results.Select(x => x.Dag!.Id));
            Assert.Single(DagLoader.LoadPath(Path.Combine(root, "c.yaml")));
            Assert.True(DagLoader.LoadPath(Path.Combine(root, "missing")).Single().HasErrors);
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}
