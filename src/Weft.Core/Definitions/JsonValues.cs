using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Weft.Core.Definitions;

/// <summary>Turns a node into a <see cref="JsonElement"/>: plain scalars read as YAML's core schema (null, booleans, numbers).</summary>
internal static partial class JsonValues
{
    // Aliases can repeat a subtree many times over; this caps what one value may expand to.
    private const int MaxNodes = 100_000;

    public static bool TryConvert(SourceNode node, out JsonElement value, out string? error)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = YamlTreeReader.MaxDepth + 2 }))
        {
            var budget = MaxNodes;
            if (!Write(writer, node, ref budget))
            {
                value = default;
                error = $"the value expands to more than {MaxNodes} items";
                return false;
            }
        }

        using var doc = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = YamlTreeReader.MaxDepth + 2 });
        value = doc.RootElement.Clone();
        error = null;
        return true;
    }

    /// <summary>The value <paramref name="write"/> writes, as a detached element.</summary>
    public static JsonElement Build(Action<Utf8JsonWriter> write)
    {
        using var document = JsonDocument.Parse(Utf8(write));
        return document.RootElement.Clone();
    }

    /// <summary>The value <paramref name="write"/> writes, as compact JSON text.</summary>
    public static string Text(Action<Utf8JsonWriter> write) => System.Text.Encoding.UTF8.GetString(Utf8(write).Span);

    private static ReadOnlyMemory<byte> Utf8(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenMemory;
    }

    /// <summary>A scalar as JSON: a string unless it is a plain null, boolean or number.</summary>
    public static void WriteScalar(Utf8JsonWriter writer, ScalarNode s)
    {
        if (s.IsQuoted)
        {
            writer.WriteStringValue(s.Value);
        }
        else if (s.IsNull)
        {
            writer.WriteNullValue();
        }
        else if (s.Value is "true" or "True" or "TRUE")
        {
            writer.WriteBooleanValue(true);
        }
        else if (s.Value is "false" or "False" or "FALSE")
        {
            writer.WriteBooleanValue(false);
        }
        else if (IntegerPattern().IsMatch(s.Value) && long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            writer.WriteNumberValue(l);
        }
        else if (FloatPattern().IsMatch(s.Value) && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            writer.WriteNumberValue(d);
        }
        else
        {
            writer.WriteStringValue(s.Value);
        }
    }

    private static bool Write(Utf8JsonWriter writer, SourceNode node, ref int budget)
    {
        if (--budget < 0)
        {
            return false;
        }

        switch (node)
        {
            case ScalarNode s:
                WriteScalar(writer, s);
                return true;
            case ListNode list:
                writer.WriteStartArray();
                foreach (var item in list.Items)
                {
                    if (!Write(writer, item, ref budget)) return false;
                }

                writer.WriteEndArray();
                return true;
            case MapNode map:
                writer.WriteStartObject();
                foreach (var (key, value) in map.Entries)
                {
                    writer.WritePropertyName(key.Value);
                    if (!Write(writer, value, ref budget)) return false;
                }

                writer.WriteEndObject();
                return true;
            default:
                return false;
        }
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
