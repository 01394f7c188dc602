using System.Collections.Immutable;
using System.Text.Json;
using Weft.Core.Dags;

namespace Weft.Cli.Commands;

/// <summary>What <c>weft run</c> was asked to do, parsed and checked.</summary>
/// <param name="Dag">The loaded, valid DAG; null when only <c>--resume</c> was given.</param>
/// <param name="Conf">Parameters given on the command line (<c>--params</c>, then each <c>--param</c>), without the DAG's defaults.</param>
/// <param name="Parallelism">Tasks of the run active at once; null means the DAG's <c>max_active_tasks</c>.</param>
/// <param name="TasksDirectory">Where relative script paths are looked up first (absolute).</param>
/// <param name="ResumeRunId">The run to continue, from <c>--resume</c>.</param>
internal sealed record RunRequest(
    DagDefinition? Dag,
    ImmutableDictionary<string, JsonElement> Conf,
    int? Parallelism,
    string TasksDirectory,
    string? ResumeRunId)
{
    /// <summary>Stream every task's output live, prefixed with its task id (<c>--output</c>).</summary>
    public bool Output { get; init; }
}
