using Weft.Core.Definitions;
using Weft.Core.Diagnostics;

namespace Weft.Core.Tests.Definitions;

/// <summary>Paths of test inputs and helpers to assert on diagnostics.</summary>
internal static class TestFiles
{
    public static string Case(string name) => Path.Combine(AppContext.BaseDirectory, "Cases", name);

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Weft.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    public static LoadResult LoadCase(string name) => DagLoader.LoadFile(Case(name));

    public static LoadResult Yaml(string text) => DagLoader.LoadText(text, "test.yaml");

    /// <summary>The single error whose message holds every key word, at the given line and column.</summary>
    public static Diagnostic AssertError(LoadResult result, int line, int column, params string[] words) =>
        AssertDiagnostic(result, DiagnosticSeverity.Error, line, column, words);

    public static Diagnostic AssertWarning(LoadResult result, int line, int column, params string[] words) =>
        AssertDiagnostic(result, DiagnosticSeverity.Warning, line, column, words);

    private static Diagnostic AssertDiagnostic(LoadResult result, DiagnosticSeverity severity, int line, int column, string[] words)
    {
        var matches = result.Diagnostics.Where(d => d.Severity == severity && words.All(w => d.Message.Contains(w, StringComparison.Ordinal))).ToList();
        Assert.True(matches.Count == 1, $"expected one {severity} with [{string.Join(", ", words)}]; got:\n{string.Join("\n", result.Diagnostics)}");
        var d = matches[0];
        Assert.True(d.Position.Line == line && d.Position.Column == column, $"expected {line}:{column}, got {d}");
        return d;
    }

    public static string Dump(LoadResult result) => string.Join("\n", result.Diagnostics);
}
