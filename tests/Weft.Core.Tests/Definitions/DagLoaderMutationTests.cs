using System.Text;
using Weft.Core.Definitions;

namespace Weft.Core.Tests.Definitions;

/// <summary>
/// A property test: seeded random mutations of every example DAG, loaded as YAML and as JSON, never end in an
/// exception or an internal error, and every diagnostic points at a line and column inside the mutated text.
/// </summary>
public class DagLoaderMutationTests
{
    private const int CasesPerFile = 1000;

    // Pieces that are meaningful to a YAML or JSON parser, or awkward for a string: what a random edit should try.
    private static readonly string[] Fragments =
    [
        ": ", ":", "[", "]", "{", "}", "- ", ",", "&a ", "*a", "*nope", "!!str ", "!!int ", "!!binary ", "!custom ", "\"", "'",
        "\t", "\n", "\r\n", "\r", "#", "|", ">", "|-\n", "? ", "%YAML 1.2\n", "%TAG ! tag:x,2002:\n", "---\n", "...\n",
        "<<: *a\n", "<<: [*a]\n", "\"\\ud800\"", "\"\\udc00x\"", "\"\\u12\"", "\"\\x41\"", "\\", "\0", "\uFEFF", "\ud800",
        "${{", "}}", "${{ params.", "${{ tasks.x.outputs.y }}", "0x1F", "1e999", "-0", ".inf", "~", "null", "true",
        "99999999999999999999999999", "@every", "* * * * * * *", "PT", "2024-02-30", "  ", "        ", "@", "`", "%",
        "bad: : :", "command: [unclosed", "tasks:", "- id:", "depends_on: [", "id: x\n", "{\"a\":", "[[[[[[[[",
    ];

    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(TestFiles.RepoRoot(), "examples", "dags")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void LoadText_1000SeededMutationsOfAnExample_NoInternalError_EveryDiagnosticPositioned(string example)
    {
        var original = File.ReadAllText(Path.Combine(TestFiles.RepoRoot(), "examples", "dags", example));
        var random = new Random(HashCode(example));
        for (var i = 0; i < CasesPerFile; i++)
        {
            var text = Mutate(original, random);
            // The same text as YAML and as JSON: JSON is a subset of YAML, and a YAML file is hostile JSON.
            foreach (var name in new[] { "case.yaml", "case.json" })
            {
                LoadResult result;
                try
                {
                    result = DagLoader.LoadText(text, name);
                }
                catch (Exception ex)
                {
                    Assert.Fail($"{example} case {i} as {name} threw {ex.GetType().Name}: {ex.Message}\n---\n{text}");
                    throw;
                }

                var lines = LineCount(text);
                foreach (var d in result.Diagnostics)
                {
                    Assert.False(d.Message.Contains("internal error", StringComparison.Ordinal), $"{example} case {i} as {name}: {d}\n---\n{text}");
                    Assert.True(d.Position.Line >= 1 && d.Position.Line <= lines + 1 && d.Position.Column >= 1,
                        $"{example} case {i} as {name}: unpositioned {d} (text has {lines} lines)\n---\n{text}");
                }
            }
        }
    }

    /// <summary>One to four random edits: delete, duplicate or move a span, insert a fragment, replace a character, re-indent a line.</summary>
    private static string Mutate(string text, Random random)
    {
        var sb = new StringBuilder(text);
        var edits = random.Next(1, 5);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(sb.Length + 1);
            switch (random.Next(6))
            {
                case 0 when sb.Length > 0:
                    sb.Remove(Math.Min(at, sb.Length - 1), Math.Min(random.Next(1, 40), sb.Length - Math.Min(at, sb.Length - 1)));
                    break;
                case 1 when sb.Length > 0:
                    var from = random.Next(sb.Length);
                    var span = sb.ToString(from, Math.Min(random.Next(1, 60), sb.Length - from));
                    sb.Insert(at, span);
                    break;
                case 2:
                    sb.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 3 when sb.Length > 0:
                    sb[Math.Min(at, sb.Length - 1)] = (char)random.Next(0, 0x3000);
                    break;
                case 4:
                    var lineStart = at == 0 ? 0 : sb.ToString(0, at).LastIndexOf('\n') + 1;
                    sb.Insert(lineStart, new string(' ', random.Next(1, 5)));
                    break;
                default:
                    sb.Insert(at, Fragments[random.Next(Fragments.Length)] + Fragments[random.Next(Fragments.Length)]);
                    break;
            }
        }

        return sb.ToString();
    }

    // Lines as YAML counts them: \r\n, \r, \n, NEL and the Unicode line and paragraph separators each end one.
    private static int LineCount(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Count(c => c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029') + 1;

    // Stable across processes (string.GetHashCode is randomized), so a failing case can be replayed.
    private static int HashCode(string s)
    {
        var h = 17;
        foreach (var c in s)
        {
            h = unchecked((h * 31) + c);
        }

        return h;
    }
}
