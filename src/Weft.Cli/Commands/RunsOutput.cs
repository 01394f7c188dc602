using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Weft.Cli.Running;
using Weft.Engine.Json;
using Weft.Engine.Storage;

namespace Weft.Cli.Commands;

/// <summary>
/// Text and JSON pieces the operator commands (runs, tasks, dags, pools) share: plain aligned tables that read
/// well on a terminal and split cleanly with awk, times in UTC, and run objects in the contract's shape.
/// </summary>
internal static class RunsOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A time as <c>2026-11-22T10:00:00Z</c>, or empty.</summary>
    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    /// <summary>How long something took, or has been going on when it has not ended; empty when it has not started.</summary>
    public static string Duration(DateTimeOffset? start, DateTimeOffset? end) =>
        start is { } s ? RunSummary.Format((end ?? DateTimeOffset.UtcNow) - s) : "";

    /// <summary>Writes rows under a header, each column as wide as its widest cell, two spaces apart.</summary>
    public static void WriteTable(TextWriter output, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = new int[header.Count];
        foreach (var row in all)
        {
            for (var i = 0; i < row.Count; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var line = new StringBuilder();
        foreach (var row in all)
        {
            line.Clear();
            for (var i = 0; i < row.Count; i++)
            {
                // The last column is not padded, so lines carry no trailing blanks.
                line.Append(i == row.Count - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            }

            output.WriteLine(line.ToString().TrimEnd());
        }
    }

    /// <summary>A run object of the contract's run JSON without its <c>tasks</c>, as run lists show it.</summary>
    public static JsonObject RunWithoutTasks(RunRecord run)
    {
        var node = JsonNode.Parse(RunJson.Serialize(new RunSnapshot(run, [])))!.AsObject();
        node.Remove("tasks");
        return node;
    }

    /// <summary>Writes a JSON node indented on stdout.</summary>
    public static void WriteJson(CliContext context, JsonNode node) => context.Out.WriteLine(node.ToJsonString(Indented));
}
