namespace Weft.Core.Dags;

/// <summary>Where something stands in a DAG file: 1-based line and column.</summary>
public readonly record struct SourcePosition(string File, int Line, int Column)
{
    /// <summary>A position for definitions built in code, which have no file.</summary>
    public static SourcePosition None { get; } = new("<code>", 0, 0);

    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}";
}
