using System.Text;
using System.Text.Json;
using Weft.Core.Dags;
using Weft.Core.Diagnostics;

namespace Weft.Core.Definitions;

/// <summary>Reads JSON into <see cref="SourceNode"/>s, turning the reader's byte offsets into 1-based lines and columns.</summary>
internal static class JsonTreeReader
{
    public static SourceNode? Read(string text, string file, List<Diagnostic> diagnostics)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lines = new LineMap(bytes);
        var builder = new TreeBuilder(file, diagnostics);
        var options = new JsonReaderOptions
        {
            MaxDepth = YamlTreeReader.MaxDepth + 1,
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };
        var reader = new Utf8JsonReader(bytes, options);
        try
        {
            while (reader.Read())
            {
                var at = lines.At(file, reader.TokenStartIndex);
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        builder.Open(new MapNode(at), null);
                        break;
                    case JsonTokenType.StartArray:
                        builder.Open(new ListNode(at), null);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        builder.Close();
                        break;
                    case JsonTokenType.PropertyName or JsonTokenType.String:
                        if (!TryGetString(ref reader, out var value))
                        {
                            diagnostics.Add(Diagnostic.Error(at, "invalid JSON: the string holds an escape that is not valid UTF-16 (a lone surrogate such as \\ud800); write the character itself or a surrogate pair"));
                            return null;
                        }

                        builder.Add(new ScalarNode(at, value, true, reader.ValueIsEscaped ? -1 : 1), null);
                        break;
                    case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null:
                        builder.Add(new ScalarNode(at, Encoding.UTF8.GetString(reader.ValueSpan), false, 0), null);
                        break;
                }

                if (builder.Failed)
                {
                    return null;
                }
            }
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0);
            var at = lines.At(file, line, (int)(ex.BytePositionInLine ?? 0));
            diagnostics.Add(Diagnostic.Error(at, "invalid JSON: " + CleanMessage(ex.Message)));
            return null;
        }

        return builder.Root;
    }

    // The reader checks escapes only when a string is unescaped; a lone surrogate (\ud800) throws there.
    private static bool TryGetString(ref Utf8JsonReader reader, out string value)
    {
        try
        {
            value = reader.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = string.Empty;
            return false;
        }
    }

    private static string CleanMessage(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var m = (cut > 0 ? message[..cut] : message).Trim().TrimEnd('.');
        return m.Length == 0 ? "unreadable input" : char.ToLowerInvariant(m[0]) + m[1..];
    }

    /// <summary>Byte offsets of line starts, to turn a byte offset into a line and a column counted in characters.</summary>
    private sealed class LineMap
    {
        private readonly byte[] _bytes;
        private readonly List<int> _starts = [0];

        public LineMap(byte[] bytes)
        {
            _bytes = bytes;
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'\n')
                {
                    _starts.Add(i + 1);
                }
            }
        }

        public SourcePosition At(string file, long offset)
        {
            var index = _starts.BinarySearch((int)offset);
            var line = index >= 0 ? index : ~index - 1;
            return Column(file, line, (int)offset - _starts[line]);
        }

        public SourcePosition At(string file, int zeroBasedLine, int bytesIntoLine) =>
            Column(file, Math.Clamp(zeroBasedLine, 0, _starts.Count - 1), bytesIntoLine);

        private SourcePosition Column(string file, int line, int bytesIntoLine)
        {
            var start = _starts[line];
            var length = Math.Clamp(bytesIntoLine, 0, _bytes.Length - start);
            var chars = Encoding.UTF8.GetCharCount(_bytes, start, length);
            return new SourcePosition(file, line + 1, chars + 1);
        }
    }
}
