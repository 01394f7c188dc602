using System.Text;
using Weft.Core.Definitions;
using static Weft.Core.Tests.Definitions.TestFiles;

namespace Weft.Core.Tests.Definitions;

/// <summary>Hostile input ends in diagnostics, never in an exception.</summary>
public class RobustnessTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void LoadText_RandomBytes_GivesDiagnostics(int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[4096];
        random.NextBytes(bytes);
        var text = Encoding.UTF8.GetString(bytes);

        foreach (var name in new[] { "random.yaml", "random.json" })
        {
            var r = DagLoader.LoadText(text, name);
            Assert.True(r.HasErrors);
            Assert.DoesNotContain(r.Diagnostics, d => d.Message.Contains("internal error", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("[", "]")]
    [InlineData("{a: ", "}")]
    [InlineData("- ", "")]
    public void LoadText_DeeplyNested_GivesDiagnostic(string open, string close)
    {
        var depth = 20_000;
        var text = string.Concat(Enumerable.Repeat(open, depth)) + "x" + string.Concat(Enumerable.Repeat(close, depth));
        if (open == "- ")
        {
            text = string.Join("\n", Enumerable.Range(0, 300).Select(i => new string(' ', i * 2) + "- x:"));
        }

        var r = Yaml(text);
        Assert.True(r.HasErrors);
    }

    [Fact]
    public void LoadText_DeeplyNestedJson_GivesDiagnostic()
    {
        var text = new string('[', 5000) + new string(']', 5000);
        var r = DagLoader.LoadText(text, "deep.json");
        Assert.True(r.HasErrors);
    }

    [Fact]
    public void LoadText_AliasBombInParams_GivesDiagnostic()
    {
        var sb = new StringBuilder("id: bomb\nparams:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 10; i++)
        {
            sb.Append($"  a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        }

        sb.Append("tasks: [{ id: a }]\n");
        var r = Yaml(sb.ToString());
        AssertError(r, 12, 7, "invalid value for parameter 'a9'", "expands");
    }

    [Fact]
    public void LoadText_TenMegabytes_GivesDiagnosticsNotExceptions()
    {
        var line = "# " + new string('x', 98) + "\n";
        var junk = string.Concat(Enumerable.Repeat(line, 100_000)) + "id: big\ntasks: [{ id: a, bogus: 1 }]\n";

        var r = Yaml(junk);

        AssertError(r, 100_002, 18, "unknown field 'bogus'");
    }

    [Theory]
    [InlineData("just a string")]
    [InlineData("42")]
    [InlineData("id: a\n---\nid: b\n")]
    [InlineData("id: [unclosed")]
    [InlineData("? [complex, key]\n: value\n")]
    [InlineData("id: x\ntasks: *nothing\n")]
    [InlineData("id: x\ntasks: 5\n")]
    [InlineData("id: x\ntasks: [5, null, [1]]\n")]
    [InlineData("\t\tid: x")]
    [InlineData("id: x\ntasks:\n  - id: a\n    body: !!binary AAAA\n    env: { A: [1] }\n    headers: 3\n    args: { a: { b: c } }\n")]
    public void LoadText_OddShapes_GiveDiagnostics(string text)
    {
        var r = Yaml(text);
        Assert.True(r.HasErrors);
        Assert.All(r.Diagnostics, d => Assert.True(d.Position.Line >= 1 && d.Position.Column >= 1, d.ToString()));
        Assert.DoesNotContain(r.Diagnostics, d => d.Message.Contains("internal error", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadText_UnclosedFlowListThenMoreKeys_NamesTheBracketWhereTheParserStopped()
    {
        // YamlDotNet's scanner throws a bare InvalidOperationException here; it must still be a positioned diagnostic.
        var r = Yaml("id: x\ntasks:\n  - id: a\n    command: [unclosed\nbad: : :\n");

        AssertError(r, 5, 1, "invalid YAML", "'[' at 4:14 is not closed");
    }

    [Theory]
    [InlineData("{\"id\": \"x\", \"tasks\": [{\"id\": \"a\", \"command\": \"echo \\ud800\"}]}", 1, 46)]
    [InlineData("{\"id\": \"x\",\n \"\\udc00\": 1, \"tasks\": [{\"id\": \"a\"}]}", 2, 2)]
    public void LoadText_JsonLoneSurrogateEscape_IsPositionedDiagnostic(string text, int line, int column)
    {
        var r = DagLoader.LoadText(text, "surrogate.json");

        AssertError(r, line, column, "invalid JSON", "not valid UTF-16");
    }

    [Fact]
    public void LoadFile_Missing_GivesDiagnostic()
    {
        var r = DagLoader.LoadFile("/nonexistent/dag.yaml");
        Assert.True(r.HasErrors);
    }
}
