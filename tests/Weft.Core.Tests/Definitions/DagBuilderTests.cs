using System.Text;
using Weft.Core.Dags;
using Weft.Core.Runs;
using static Weft.Core.Tests.Definitions.TestFiles;

namespace Weft.Core.Tests.Definitions;

public class DagBuilderTests
{
    [Fact]
    public void Build_EquivalentToYaml_GivesEqualTaskFields()
    {
        var yaml = Yaml("""
            id: etl
            schedule: "0 2 * * *"
            timezone: Europe/Amsterdam
            start_date: 2024-01-01
            catchup: true
            params: { date: "2024-01-01", n: 3 }
            defaults: { retries: 2, retry_delay: 30s }
            tasks:
              - id: extract
                command: echo ${{ params.date }}
                env: { MODE: full }
              - id: load
                depends_on: [extract]
                url: https://example.com/load
                method: POST
                headers: { X-Rows: "${{ tasks.extract.outputs.rows }}" }
                expect_status: [200, 201]
                trigger_rule: all_done
                retries: 0
                timeout: 5m
              - id: report
                depends_on: [load]
                script: report.py
                args: [--day, "${{ params.date }}"]
                pool: reports
                pool_slots: 2
            """);
        Assert.False(yaml.HasErrors, Dump(yaml));

        var built = Dag.Create("etl")
            .Schedule("0 2 * * *")
            .TimeZone("Europe/Amsterdam")
            .StartDate(new DateOnly(2024, 1, 1))
            .Catchup()
            .Param("date", "2024-01-01")
            .Param("n", 3)
            .Defaults(t => t.Retries(2).RetryDelay(TimeSpan.FromSeconds(30)))
            .Task("extract", t => t.Command("echo ${{ params.date }}").Env("MODE", "full"))
            .Task("load", t => t.DependsOn("extract").Url("https://example.com/load", "POST")
                .Header("X-Rows", "${{ tasks.extract.outputs.rows }}").ExpectStatus(200, 201)
                .TriggerRule(TriggerRule.AllDone).Retries(0).Timeout(TimeSpan.FromMinutes(5)))
            .Task("report", t => t.DependsOn("load").Script("report.py", "--day", "${{ params.date }}").Pool("reports", 2))
            .Build();

        var file = yaml.Dag!;
        Assert.Equal((file.Id, file.Schedule!.Text, file.TimeZone.Id, file.StartDate, file.Catchup), (built.Id, built.Schedule!.Text, built.TimeZone.Id, built.StartDate, built.Catchup));
        Assert.Equal(file.Params.Keys.Order(), built.Params.Keys.Order());
        Assert.Equal(file.Params["n"].GetRawText(), built.Params["n"].GetRawText());
        Assert.Equal(file.Tasks.Select(Describe), built.Tasks.Select(Describe));
    }

    [Fact]
    public void Build_DelegateTask_IsDelegateType()
    {
        var dag = Dag.Create("code")
            .Task("compute", async (ctx, ct) =>
            {
                await Task.Yield();
                ctx.SetOutput("answer", "42");
            })
            .Task("after", ctx => Task.CompletedTask, t => t.DependsOn("compute"))
            .Task("join", t => t.DependsOn("after"))
            .Build();

        Assert.Equal(TaskType.Delegate, dag.Tasks[0].Type);
        Assert.NotNull(dag.Tasks[0].Delegate);
        Assert.Equal(TaskType.Delegate, dag.Tasks[1].Type);
        Assert.Equal(TaskType.Noop, dag.Tasks[2].Type);
        Assert.Null(dag.SourceFile);
    }

    [Fact]
    public void Build_Invalid_ThrowsListingEveryProblem()
    {
        var ex = Assert.Throws<DagDefinitionException>(() => Dag.Create("bad id")
            .Schedule("not cron")
            .Task("a", t => t.Command("echo ${{ params.missing }}").DependsOn("b"))
            .Task("b", t => t.Command("echo b").DependsOn("a"))
            .Task("c", t => t.DependsOn("zzz").Retries(-1))
            .Build());

        var text = ex.Message;
        Assert.Contains("invalid DAG id 'bad id'", text, StringComparison.Ordinal);
        Assert.Contains("invalid schedule", text, StringComparison.Ordinal);
        Assert.Contains("unknown parameter 'missing'", text, StringComparison.Ordinal);
        Assert.Contains("dependency cycle", text, StringComparison.Ordinal);
        Assert.Contains("'zzz', which is not a task", text, StringComparison.Ordinal);
        Assert.Contains("'retries' of task 'c' must be 0 or more", text, StringComparison.Ordinal);
        Assert.True(ex.Diagnostics.Length >= 6);
    }

    [Fact]
    public void Validate_CodeDag_UsesSameChecks()
    {
        var dag = new DagDefinition
        {
            Id = "manual",
            Tasks = [new TaskDefinition { Id = "a", Type = TaskType.Shell }, new TaskDefinition { Id = "a" }],
        };

        var r = Weft.Core.Definitions.DagLoader.Validate(dag);

        Assert.True(r.HasErrors);
        Assert.Null(r.Dag);
        Assert.Contains(r.Diagnostics, d => d.Message.Contains("duplicate task id 'a'", StringComparison.Ordinal));
        Assert.Contains(r.Diagnostics, d => d.Message.Contains("shell task but has no 'command'", StringComparison.Ordinal));
        Assert.All(r.Diagnostics, d => Assert.Equal("<code>", d.Position.File));
    }

    private static string Describe(TaskDefinition t)
    {
        var sb = new StringBuilder();
        sb.AppendJoin('|', t.Id, t.Type, t.Command, t.Script, string.Join(',', t.Args), string.Join(',', t.Env.OrderBy(e => e.Key)),
            t.WorkingDir, string.Join(',', t.DependsOn), t.Url, t.Method, string.Join(',', t.Headers.OrderBy(e => e.Key)),
            t.Body?.GetRawText(), string.Join(',', t.ExpectStatus), t.TriggerRule, t.Retries, t.RetryDelay, t.RetryBackoff,
            t.MaxRetryDelay, string.Join(',', t.RetryOnExitCodes), t.Timeout, t.Sla, t.SkipOnExitCode, t.Pool, t.PoolSlots,
            t.Priority, t.Queue, t.Critical);
        return sb.ToString();
    }
}
