using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Weft.Core.Runs;

namespace Weft.Engine.Storage;

/// <summary>
/// How every store keeps records in columns, whatever the database: times as unix milliseconds (UTC), states as the
/// contract's snake_case names, outputs as a JSON object in a text column (read back byte for byte). Each store adds
/// only how its driver binds a value.
/// </summary>
internal static class StoredValues
{
    private static readonly Dictionary<string, TaskState> TaskStates =
        Enum.GetValues<TaskState>().ToDictionary(s => s.ToName(), StringComparer.Ordinal);

    private static readonly Dictionary<string, RunState> RunStates =
        Enum.GetValues<RunState>().ToDictionary(s => s.ToName(), StringComparer.Ordinal);

    // The column is never embedded in HTML, so non-ASCII text is kept as is rather than \u-escaped.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly IReadOnlyDictionary<string, string> NoOutputs = new Dictionary<string, string>(0);

    public static DateTimeOffset ToTime(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    public static TaskState ToTaskState(string name) =>
        TaskStates.TryGetValue(name, out var state) ? state : throw new InvalidDataException($"Unknown task state '{name}' in the database.");

    public static RunState ToRunState(string name) =>
        RunStates.TryGetValue(name, out var state) ? state : throw new InvalidDataException($"Unknown run state '{name}' in the database.");

    public static string OutputsToJson(IReadOnlyDictionary<string, string> outputs)
    {
        if (outputs.Count == 0)
        {
            return "{}";
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in outputs)
            {
                writer.WriteString(key, value);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static IReadOnlyDictionary<string, string> OutputsFromJson(string json)
    {
        if (json.Length <= 2)
        {
            return NoOutputs;
        }

        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            outputs[key] = reader.GetString() ?? "";
        }
        return outputs;
    }
}
