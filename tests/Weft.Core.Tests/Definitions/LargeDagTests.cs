using System.Text;
using Weft.Core.Definitions;
using static Weft.Core.Tests.Definitions.TestFiles;

namespace Weft.Core.Tests.Definitions;

public class LargeDagTests
{
    [Fact]
    public void LoadFile_TenThousandTasksThirtyThousandEdges_LoadsAndValidates()
    {
        const int tasks = 10_000;
        var sb = new StringBuilder("id: large\nparams: { n: 1 }\ntasks:\n");
        var edges = 0;
        for (var i = 0; i < tasks; i++)
        {
            sb.Append("  - id: t").Append(i).Append('\n');
            sb.Append("    command: echo ${{ params.n }}");
            if (i >= 3)
            {
                sb.Append(" ${{ tasks.t").Append(i / 2).Append(".outputs.x }}");
            }

            sb.Append('\n');
            if (i >= 3)
            {
                // Three upstreams per task, all earlier: a DAG, and t(i/2) is always among the ancestors.
                sb.Append("    depends_on: [t").Append(i - 1).Append(", t").Append(i - 2).Append(", t").Append(i / 2 == i - 1 || i / 2 == i - 2 ? i - 3 : i / 2).Append("]\n");
                edges += 3;
            }
        }

        Assert.True(edges >= 29_990);
        var path = Path.Combine(Path.GetTempPath(), $"weft-large-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, sb.ToString());
        try
        {
            var r = DagLoader.LoadFile(path);
            Assert.False(r.HasErrors, string.Join("\n", r.Diagnostics.Take(5)));
            Assert.Equal(tasks, r.Dag!.Tasks.Length);
            Assert.Equal(edges, r.Dag.Tasks.Sum(t => t.DependsOn.Length));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadText_LongChainWithCycle_IsFoundWithoutRecursion()
    {
        var sb = new StringBuilder("id: chain\ntasks:\n  - { id: t0, depends_on: [t9999] }\n");
        for (var i = 1; i < 10_000; i++)
        {
            sb.Append("  - { id: t").Append(i).Append(", depends_on: [t").Append(i - 1).Append("] }\n");
        }

        var r = Yaml(sb.ToString());
        Assert.Contains(r.Diagnostics, d => d.Message.StartsWith("dependency cycle: ", StringComparison.Ordinal));
    }
}
