using Weft.Core.Dags;

namespace Weft.Core.Definitions;

/// <summary>Loads DAG files (YAML or JSON) and folders of them into validated definitions. Placeholder surface.</summary>
public static class DagLoader
{
    /// <summary>File extensions a DAGs folder scan picks up.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".yaml", ".yml", ".json"];

    /// <summary>Loads and validates one file.</summary>
    public static LoadResult LoadFile(string path) => throw new NotImplementedException();

    /// <summary>Loads and validates text as if read from <paramref name="fileName"/> (its extension picks YAML or JSON).</summary>
    public static LoadResult LoadText(string text, string fileName) => throw new NotImplementedException();

    /// <summary>Loads a file, or every DAG file below a folder (recursive), in path order.</summary>
    public static IReadOnlyList<LoadResult> LoadPath(string path) => throw new NotImplementedException();

    /// <summary>Validates a DAG built in code (the same graph and expression checks as files get).</summary>
    public static LoadResult Validate(DagDefinition dag) => throw new NotImplementedException();
}
