using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Weft.Engine.Runners.Expressions;

namespace Weft.Engine.Runners.Processes;

/// <summary>The variables every shell and script attempt gets on top of the engine's own environment.</summary>
internal static class AttemptEnvironment
{
    /// <summary>
    /// The <c>WEFT_*</c> variables, <c>TMP_DIR</c> and <c>PWD</c>, then the task's rendered <c>env</c> (which may
    /// override any of them).
    /// </summary>
    /// <exception cref="TaskSetupException">An env value names an unknown secret.</exception>
    public static Dictionary<string, string> Build(
        TaskExecutionContext context, ExpressionScope scope, string workingDirectory, string outputFile)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["WEFT_DAG_ID"] = context.Dag.Id,
            ["WEFT_RUN_ID"] = context.RunId,
            ["WEFT_TASK_ID"] = context.Task.Id,
            ["WEFT_ATTEMPT"] = context.Attempt.ToString(CultureInfo.InvariantCulture),
            ["WEFT_ATTEMPT_ID"] = context.AttemptId,
            ["WEFT_LOGICAL_DATE"] = InstantText.Format(context.LogicalDate),
            ["WEFT_DATA_INTERVAL_START"] = InstantText.Format(context.DataIntervalStart),
            ["WEFT_DATA_INTERVAL_END"] = InstantText.Format(context.DataIntervalEnd),
            ["WEFT_PARAMS"] = ParamsJson(context.Params),
            ["WEFT_OUTPUT"] = outputFile,
            ["WEFT_TMP"] = context.TmpDir,
            ["TMP_DIR"] = context.TmpDir,
            // bash sets PWD itself, but a program started directly would inherit the engine's.
            ["PWD"] = workingDirectory,
        };
        foreach (var (name, value) in context.Task.Env)
        {
            env[name] = scope.Render(value, forProcess: true);
        }

        return env;
    }

    private static string ParamsJson(IReadOnlyDictionary<string, JsonElement> parameters)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in parameters)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
