using System.Text.RegularExpressions;
using Weft.Core.Dags;
using Weft.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Weft.Core.Definitions;

/// <summary>
/// Reads YAML into <see cref="SourceNode"/>s from the parser's event stream. Building the tree without recursion
/// and with a depth limit keeps hostile input (deep nesting, alias bombs) from exhausting the stack.
/// </summary>
internal static partial class YamlTreeReader
{
    public const int MaxDepth = 100;

    public static SourceNode? Read(string text, string file, List<Diagnostic> diagnostics)
    {
        var builder = new TreeBuilder(file, diagnostics);
        var scanner = new Scanner(new StringReader(text));
        var parser = new Parser(scanner);
        var flows = new Stack<(char Bracket, Mark Start)>();
        var documents = 0;
        try
        {
            while (MoveNext(parser, scanner, flows, file))
            {
                var ev = parser.Current!;
                switch (ev)
                {
                    case DocumentStart when ++documents > 1:
                        diagnostics.Add(Diagnostic.Error(At(file, ev.Start), "more than one YAML document in the file; a DAG file holds exactly one DAG"));
                        return builder.Root;
                    case Scalar s:
                        builder.Add(ReadScalar(file, text, s), s.Anchor.IsEmpty ? null : s.Anchor.Value);
                        break;
                    case AnchorAlias a:
                        builder.Alias(a.Value.Value, At(file, a.Start));
                        break;
                    case MappingStart m:
                        flows.Push((m.Style == MappingStyle.Flow ? '{' : ' ', m.Start));
                        builder.Open(new MapNode(At(file, m.Start)), m.Anchor.IsEmpty ? null : m.Anchor.Value);
                        break;
                    case SequenceStart q:
                        flows.Push((q.Style == SequenceStyle.Flow ? '[' : ' ', q.Start));
                        builder.Open(new ListNode(At(file, q.Start)), q.Anchor.IsEmpty ? null : q.Anchor.Value);
                        break;
                    case MappingEnd or SequenceEnd:
                        flows.TryPop(out _);
                        builder.Close();
                        break;
                }

                if (builder.Failed)
                {
                    return null;
                }
            }
        }
        catch (YamlException ex)
        {
            diagnostics.Add(Diagnostic.Error(At(file, ex.Start), "invalid YAML: " + CleanMessage(ex.Message)));
            return null;
        }

        return builder.Root;
    }

    /// <summary>
    /// The parser's next event. YamlDotNet's scanner throws exceptions other than <see cref="YamlException"/> on some
    /// malformed input (an unclosed '[' followed by more keys gives InvalidOperationException, with no position);
    /// those become a <see cref="YamlException"/> at the scanner's position, naming the unclosed bracket if any.
    /// </summary>
    private static bool MoveNext(Parser parser, Scanner scanner, Stack<(char Bracket, Mark Start)> open, string file)
    {
        try
        {
            return parser.MoveNext();
        }
        catch (Exception ex) when (ex is not (YamlException or OutOfMemoryException))
        {
            var at = scanner.CurrentPosition;
            var unclosed = open.FirstOrDefault(o => o.Bracket != ' ');
            var message = unclosed.Bracket != '\0'
                ? $"the '{unclosed.Bracket}' at {At(file, unclosed.Start).Line}:{At(file, unclosed.Start).Column} is not closed before this point; close it with '{(unclosed.Bracket == '[' ? ']' : '}')}'"
                : "the text cannot be read as YAML from here (check the indentation and the quotes)";
            throw new YamlException(at, at, message, ex);
        }
    }

    private static ScalarNode ReadScalar(string file, string text, Scalar s)
    {
        var position = At(file, s.Start);
        var oneLine = s.Start.Line == s.End.Line;
        var explicitString = !s.Tag.IsEmpty && s.Tag.Value is "tag:yaml.org,2002:str" or "!!str";
        var shift = -1;
        if (oneLine)
        {
            switch (s.Style)
            {
                case ScalarStyle.Plain:
                    shift = 0;
                    break;
                case ScalarStyle.SingleQuoted when !s.Value.Contains('\''):
                    shift = 1;
                    break;
                case ScalarStyle.DoubleQuoted when RawHasNoEscape(text, s):
                    shift = 1;
                    break;
            }
        }

        return new ScalarNode(position, s.Value, s.Style != ScalarStyle.Plain || explicitString, shift);
    }

    private static bool RawHasNoEscape(string text, Scalar s)
    {
        var start = (int)s.Start.Index;
        var end = (int)Math.Min(s.End.Index, text.Length);
        return start >= 0 && end > start && text.AsSpan(start, end - start).IndexOf('\\') < 0;
    }

    internal static SourcePosition At(string file, Mark mark) =>
        new(file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    private static string CleanMessage(string message)
    {
        var m = MarkPrefix().Replace(message, string.Empty).Trim();
        return m.Length == 0 ? "unreadable input" : char.ToLowerInvariant(m[0]) + m[1..];
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex MarkPrefix();
}
