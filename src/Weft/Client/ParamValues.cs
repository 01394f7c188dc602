using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Weft.Client;

/// <summary>Run parameters given as .NET values, written as the JSON values a run keeps (no reflection: trimming-safe).</summary>
internal static class ParamValues
{
    public static IReadOnlyDictionary<string, JsonElement>? ToJson(IDictionary<string, object?>? parameters)
    {
        if (parameters is null)
        {
            return null;
        }

        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                Write(writer, name, value);
            }

            using var document = JsonDocument.Parse(buffer.ToArray());
            result[name] = document.RootElement.Clone();
        }

        return result;
    }

    private static void Write(Utf8JsonWriter writer, string name, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case JsonElement element: element.WriteTo(writer); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int or long or short or byte or sbyte or ushort or uint:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case ulong u: writer.WriteNumberValue(u); break;
            case float or double: writer.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture)); break;
            case decimal d: writer.WriteNumberValue(d); break;
            case DateTimeOffset t: writer.WriteStringValue(t); break;
            case DateTime t: writer.WriteStringValue(t); break;
            case DateOnly day: writer.WriteStringValue(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
            case Guid g: writer.WriteStringValue(g); break;
            case Enum e: writer.WriteStringValue(e.ToString()); break;
            case IDictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    writer.WritePropertyName(key);
                    Write(writer, name, item);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    Write(writer, name, item);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"parameter '{name}': a {value.GetType().Name} cannot be written as JSON; pass a string, number, boolean, list, dictionary or JsonElement", nameof(value));
        }
    }
}
