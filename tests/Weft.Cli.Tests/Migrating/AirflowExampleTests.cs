using Weft.Cli.Tests.EngineRuns;

namespace Weft.Cli.Tests.Migrating;

/// <summary>examples/migrating/airflow: a DAG of BashOperators, as Airflow users write it.</summary>
public sealed class AirflowExampleTests : IDisposable
{
    private static readonly string Example = Path.Combine(Machine.RepositoryRoot(), "examples", "migrating", "airflow", "bash_operator_dag.yaml");

    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task BashOperatorDag_RunsEveryTaskInOrder_WithXcomLikeOutputs()
    {
        var run = await EngineRun.StartAsync(_dir.Weft(), Example, "--param", "table=clicks");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["print_date", "extract", "transform", "load", "cleanup"], run.Run.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("task_id").GetString()));
        Assert.All(run.Run.GetProperty("tasks").EnumerateArray(), t => Assert.Equal("success", t.GetProperty("state").GetString()));
        Assert.Equal(2, run.Task("load").GetProperty("max_tries").GetInt32());
        var load = await _dir.Weft().RunAsync("logs", run.RunId, "load");
        Assert.Contains("loading 42 rows into clicks", load.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_AirflowNamesWithATypo_NameTheNearestField()
    {
        _dir.Write("typo.yaml", File.ReadAllText(Example).Replace("bash_command: date -u", "bash_comand: date -u", StringComparison.Ordinal));

        var result = await _dir.Weft().RunAsync("validate", "typo.yaml");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(result.StderrLines, l => l.Contains("unknown field 'bash_comand'") && l.Contains("did you mean 'bash_command'?"));
    }
}
