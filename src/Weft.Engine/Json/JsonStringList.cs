using System.Text.Json;
using Weft.Core.Definitions;

namespace Weft.Engine.Json;

/// <summary>A list of strings as a JSON array (a DAG's tags, a worker's queues), without the reflection serializer.</summary>
internal static class JsonStringList
{
    public static string Write(IEnumerable<string> items) => JsonValues.Text(writer =>
    {
        writer.WriteStartArray();
        foreach (var item in items)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    });

    /// <summary>The strings, or none when the text is empty or not an array of strings.</summary>
    public static List<string> Read(string? json)
    {
        var items = new List<string>();
        if (string.IsNullOrWhiteSpace(json))
        {
            return items;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return items;
            }

            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    return [];
                }

                items.Add(item.GetString()!);
            }

            return items;
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
