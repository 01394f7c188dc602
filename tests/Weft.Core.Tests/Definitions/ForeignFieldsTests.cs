using Weft.Core.Dags;
using static Weft.Core.Tests.Definitions.TestFiles;

namespace Weft.Core.Tests.Definitions;

/// <summary>Field names other orchestrators' files use (Airflow, FlowForge, Featherflow, the Go orchestrator).</summary>
public class ForeignFieldsTests
{
    [Fact]
    public void Load_FeatherflowJsonWithVersion_KeepsTheLabelAndHashesTheText()
    {
        const string text = """
            {
              "name": "simple_flow",
              "version": "1.2.0",
              "schedule": "daily",
              "tasks": [
                { "name": "hello", "command": "echo hello", "max_retries": 3, "retry_delay_seconds": 5 }
              ]
            }
            """;
        var r = Weft.Core.Definitions.DagLoader.LoadText(text, "simple_flow.json");

        Assert.False(r.HasErrors, Dump(r));
        var dag = r.Dag!;
        Assert.Equal(("simple_flow", "1.2.0", "daily"), (dag.Id, dag.Version, dag.Schedule!.Text));
        Assert.Equal(64, dag.SourceHash!.Length);
        var hello = Assert.Single(dag.Tasks);
        Assert.Equal((3, TimeSpan.FromSeconds(5)), (hello.Retries, hello.RetryDelay));
        var again = Weft.Core.Definitions.DagLoader.LoadText(text.Replace("echo hello", "echo bye"), "simple_flow.json");
        Assert.NotEqual(dag.SourceHash, again.Dag!.SourceHash);
    }

    [Theory]
    [InlineData("daily", "@daily")]
    [InlineData("hourly", "@hourly")]
    [InlineData("weekly", "@weekly")]
    [InlineData("Monthly", "@monthly")]
    [InlineData("yearly", "@yearly")]
    public void Load_BarePresetSchedule_TicksAsTheAtPreset(string bare, string preset)
    {
        var a = Yaml($"id: a\nschedule: {bare}\nstart_date: 2024-01-01\ntasks: [{{id: t}}]\n");
        var b = Yaml($"id: a\nschedule: \"{preset}\"\nstart_date: 2024-01-01\ntasks: [{{id: t}}]\n");

        Assert.False(a.HasErrors, Dump(a));
        var from = new DateTimeOffset(2024, 3, 5, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal(b.Dag!.Schedule!.NextTick(from, TimeZoneInfo.Utc, null), a.Dag!.Schedule!.NextTick(from, TimeZoneInfo.Utc, null));
    }

    [Fact]
    public void Load_AirflowBashOperatorFields_RunAsShell()
    {
        var r = Yaml("""
            dag_id: airflow_style
            default_args: { retries: 1 }
            tasks:
              - task_id: print_date
                bash_command: date
              - task_id: sleep
                bash_command: sleep 0
                upstream: [print_date]
            """);

        Assert.False(r.HasErrors, Dump(r));
        Assert.Equal(["date", "sleep 0"], r.Dag!.Tasks.Select(t => t.Command));
        Assert.All(r.Dag.Tasks, t => Assert.Equal(TaskType.Shell, t.Type));
    }

    [Fact]
    public void Load_UnknownFieldsNearTheirs_NameTheNearestKnownField()
    {
        var r = Yaml("""
            id: a
            versoin: 1
            tasks:
              - id: t
                bash_comand: date
                max_retrys: 2
            """);

        AssertError(r, 2, 1, "unknown field 'versoin'", "did you mean 'version'?");
        AssertError(r, 5, 5, "unknown field 'bash_comand'", "did you mean 'bash_command'?");
        AssertError(r, 6, 5, "unknown field 'max_retrys'", "did you mean 'max_retries'?");
    }
}
