using Weft.Core.Dags;
using Weft.Core.Definitions;
using Weft.Core.Diagnostics;

namespace Weft.Core.Tests.Definitions;

public class ExamplesTests
{
    [Fact]
    public void LoadPath_EveryExampleDag_LoadsWithoutErrors()
    {
        var folder = Path.Combine(TestFiles.RepoRoot(), "examples", "dags");
        var results = DagLoader.LoadPath(folder);

        Assert.True(results.Count >= 6, $"found {results.Count} example files");
        foreach (var result in results)
        {
            Assert.False(result.HasErrors, TestFiles.Dump(result));
            Assert.NotNull(result.Dag);
        }
    }

    [Fact]
    public void LoadPath_Examples_AreSortedByPathAndWithoutWarnings()
    {
        var folder = Path.Combine(TestFiles.RepoRoot(), "examples", "dags");
        var results = DagLoader.LoadPath(folder);

        Assert.Equal(results.Select(r => r.File).Order(StringComparer.Ordinal), results.Select(r => r.File));
        Assert.All(results, r => Assert.DoesNotContain(r.Diagnostics, d => d.Severity == DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Hello_HasTwoShellTasksInOrder()
    {
        var dag = DagLoader.LoadFile(Path.Combine(TestFiles.RepoRoot(), "examples", "dags", "hello.yaml")).Dag!;

        Assert.Equal("hello", dag.Id);
        Assert.Equal(["hello", "goodbye"], dag.Tasks.Select(t => t.Id));
        Assert.All(dag.Tasks, t => Assert.Equal(TaskType.Shell, t.Type));
        Assert.Equal<string>(["hello"], dag.Tasks[1].DependsOn);
    }

    [Fact]
    public void ScriptFlow_RendersArgsMapAsFlags()
    {
        var dag = DagLoader.LoadFile(Path.Combine(TestFiles.RepoRoot(), "examples", "dags", "script_flow.yaml")).Dag!;

        var summarize = dag.Tasks.Single(t => t.Id == "summarize");
        Assert.Equal(TaskType.Script, summarize.Type);
        Assert.Equal<string>(["--input", "${{ tasks.prepare.outputs.file }}", "--label", "${{ params.name }}", "--verbose"], summarize.Args);
    }
}
