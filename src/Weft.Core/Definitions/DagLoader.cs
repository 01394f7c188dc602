using System.Collections.Immutable;
using Weft.Core.Dags;
using Weft.Core.Diagnostics;

namespace Weft.Core.Definitions;

/// <summary>Loads DAG files (YAML or JSON) and folders of them into validated definitions, reporting every problem at once.</summary>
public static class DagLoader
{
    /// <summary>File extensions a DAGs folder scan picks up.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".yaml", ".yml", ".json"];

    /// <summary>Loads and validates one file. I/O problems become diagnostics too.</summary>
    public static LoadResult LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var at = new SourcePosition(path, 1, 1);
            return new LoadResult(path, null, [Diagnostic.Error(at, $"cannot read the file: {ex.Message}")]);
        }

        return LoadText(text, path);
    }

    /// <summary>Loads and validates text as if read from <paramref name="fileName"/> (its extension picks YAML or JSON).</summary>
    public static LoadResult LoadText(string text, string fileName)
    {
        var diagnostics = new List<Diagnostic>();
        var reader = new FieldReader(fileName, diagnostics);
        DagDefinition? dag = null;
        try
        {
            dag = Read(text, fileName, reader, diagnostics);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Every input must end in diagnostics; an internal failure is reported, not thrown.
            diagnostics.Add(Diagnostic.Error(new SourcePosition(fileName, 1, 1), $"internal error while reading the file: {ex.Message}"));
        }

        return Result(fileName, dag, diagnostics);
    }

    /// <summary>Loads a file, or every DAG file below a folder (recursive, hidden folders skipped), in path order.</summary>
    public static IReadOnlyList<LoadResult> LoadPath(string path)
    {
        if (File.Exists(path))
        {
            return [LoadFile(path)];
        }

        if (!Directory.Exists(path))
        {
            var at = new SourcePosition(path, 1, 1);
            return [new LoadResult(path, null, [Diagnostic.Error(at, "no such file or folder")])];
        }

        return [.. DagFiles.Find(path).Select(LoadFile)];
    }

    /// <summary>Validates a DAG built in code (the same graph and expression checks as files get).</summary>
    public static LoadResult Validate(DagDefinition dag)
    {
        ArgumentNullException.ThrowIfNull(dag);
        return Result(dag.SourceFile ?? "<code>", dag, DagValidator.Validate(dag, null));
    }

    private static DagDefinition? Read(string text, string fileName, FieldReader reader, List<Diagnostic> diagnostics)
    {
        var top = new SourcePosition(fileName, 1, 1);
        if (string.IsNullOrWhiteSpace(text))
        {
            diagnostics.Add(Diagnostic.Error(top, "the file is empty; a DAG file needs at least 'id' and 'tasks'"));
            return null;
        }

        var json = fileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        var root = json ? JsonTreeReader.Read(text, fileName, diagnostics) : YamlTreeReader.Read(text, fileName, diagnostics);
        if (root is null || root is ScalarNode { IsNull: true })
        {
            if (!diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                diagnostics.Add(Diagnostic.Error(top, "the file holds no DAG (only comments or blank lines); a DAG file needs at least 'id' and 'tasks'"));
            }

            return null;
        }

        if (root is not MapNode map)
        {
            diagnostics.Add(Diagnostic.Error(root.Position, $"expected the DAG's fields ('id', 'tasks', …) at the top level, found {root.Describe()}"));
            return null;
        }

        var dag = DagMapper.Map(map, reader) with { SourceHash = SourceHash(text) };
        diagnostics.AddRange(DagValidator.Validate(dag, reader.ContentShifts));
        return dag;
    }

    /// <summary>SHA-256 of the text, lower-case hex: the same value the DAG table stores as the DAG's hash.</summary>
    internal static string SourceHash(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    private static LoadResult Result(string file, DagDefinition? dag, List<Diagnostic> diagnostics)
    {
        var sorted = diagnostics
            .Select((d, i) => (d, i))
            .OrderBy(x => x.d.Position.Line).ThenBy(x => x.d.Position.Column).ThenBy(x => x.i)
            .Select(x => x.d)
            .ToImmutableArray();
        var failed = sorted.Any(d => d.Severity == DiagnosticSeverity.Error);
        return new LoadResult(file, failed ? null : dag, sorted);
    }
}
