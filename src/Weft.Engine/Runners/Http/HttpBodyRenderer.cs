using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Weft.Engine.Runners.Expressions;

namespace Weft.Engine.Runners.Http;

/// <summary>
/// Renders an http task's <c>body</c>: expressions in string leaves are substituted (never in keys, numbers or the
/// JSON structure, so a value cannot change the document's shape).
/// </summary>
internal static class HttpBodyRenderer
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The body text and its media type; null for no body.</summary>
    public static (string Text, string MediaType)? Render(JsonElement? body, ExpressionScope scope)
    {
        if (body is not { } value || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return (scope.Render(value.GetString()!), "text/plain");
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, value, scope);
        }

        return (Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), "application/json");
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element, ExpressionScope scope)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value, scope);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item, scope);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(scope.Render(element.GetString()!));
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
