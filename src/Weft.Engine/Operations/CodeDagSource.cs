using System.Text;
using Weft.Core.Dags;

namespace Weft.Engine.Operations;

/// <summary>
/// The row kept for a DAG built in C# (<c>Dag.Create</c>) by a host application: its delegates cannot be stored, so
/// the source is a description that names it as such. Other processes recognise it, do not load it, and leave its
/// runs to a process whose host registered the DAG.
/// </summary>
internal static class CodeDagSource
{
    private const string Marker = "# weft: defined in C# by a host application";

    /// <summary>Whether a stored source is the description of a DAG built in code.</summary>
    public static bool IsCode(string? source) => source is not null && source.StartsWith(Marker, StringComparison.Ordinal);

    /// <summary>A readable description of the DAG; it changes (and so does its hash) when the DAG's shape changes.</summary>
    public static string Describe(DagDefinition dag)
    {
        var text = new StringBuilder();
        text.Append(Marker).Append('\n');
        text.Append("# It runs only in processes whose host registered it (AddWeft(...).AddDag(...)).\n");
        text.Append("# id: ").Append(dag.Id).Append('\n');
        if (dag.Schedule is { } schedule)
        {
            text.Append("# schedule: ").Append(schedule.Text).Append('\n');
        }

        text.Append("# tasks:\n");
        foreach (var task in dag.Tasks)
        {
            text.Append("#   ").Append(task.Id).Append(" (").Append(task.Type.ToString().ToLowerInvariant()).Append(')');
            if (task.Command is { } command)
            {
                text.Append(": ").Append(command.ReplaceLineEndings(" "));
            }

            if (!task.DependsOn.IsEmpty)
            {
                text.Append(" after ").Append(string.Join(", ", task.DependsOn));
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
