using System.CommandLine;
using Weft.Cli.Rendering;
using Weft.Core.Dags;

namespace Weft.Cli.Commands;

/// <summary><c>weft plan FILE</c>: execution layers, critical path and parallelism of a DAG.</summary>
internal sealed class PlanCommand : WeftCommand
{
    private readonly Argument<string> _file = new("FILE")
    {
        Description = "A DAG file, or the id of a DAG in the DAGs folder",
    };

    public PlanCommand()
        : base("plan", "Show a DAG's execution layers, critical path and maximum parallelism")
    {
        Arguments.Add(_file);
    }

    protected override Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var dag = DagTargets.Load(context, context.ParseResult.GetRequiredValue(_file));
        var report = PlanReport.From(DagGraph.Build(dag));
        if (context.Json)
        {
            context.WriteJson(report);
        }
        else
        {
            report.WriteText(context.Out);
        }

        return Task.FromResult(ExitCodes.Success);
    }
}
