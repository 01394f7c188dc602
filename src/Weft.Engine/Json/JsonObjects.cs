using System.Text.Json;
using Weft.Core.Definitions;

namespace Weft.Engine.Json;

/// <summary>A map of JSON values (a DAG's params, a run's conf) as one JSON object, without the reflection serializer.</summary>
internal static class JsonObjects
{
    public static JsonElement ToElement(IEnumerable<KeyValuePair<string, JsonElement>> values) => JsonValues.Build(w => Write(w, values));

    public static string ToText(IEnumerable<KeyValuePair<string, JsonElement>> values) => JsonValues.Text(w => Write(w, values));

    private static void Write(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, JsonElement>> values)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in values)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }

        writer.WriteEndObject();
    }
}
