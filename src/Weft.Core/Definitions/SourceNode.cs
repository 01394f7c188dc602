using Weft.Core.Dags;

namespace Weft.Core.Definitions;

/// <summary>A value read from a YAML or JSON file, with where it starts.</summary>
internal abstract class SourceNode(SourcePosition position)
{
    public SourcePosition Position { get; } = position;

    /// <summary>How a message names what was found: <c>'three'</c>, <c>a list</c>, <c>a mapping</c>.</summary>
    public abstract string Describe();
}

/// <summary>A scalar. Quoted and block scalars are always strings; plain ones may read as numbers, booleans or null.</summary>
internal sealed class ScalarNode(SourcePosition position, string value, bool isQuoted, int contentShift) : SourceNode(position)
{
    public string Value { get; } = value;

    public bool IsQuoted { get; } = isQuoted;

    /// <summary>
    /// Columns from the scalar's start to its first character when the text maps one to one onto the file
    /// (plain or escape-free quoted, on one line); -1 otherwise.
    /// </summary>
    public int ContentShift { get; } = contentShift;

    public bool IsNull => !IsQuoted && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Describe()
    {
        if (IsNull)
        {
            return "null";
        }

        var v = Value.Length > 60 ? Value[..57] + "..." : Value;
        return $"'{v.ReplaceLineEndings(" ")}'";
    }
}

/// <summary>A mapping, its entries in file order.</summary>
internal sealed class MapNode(SourcePosition position) : SourceNode(position)
{
    public List<KeyValuePair<ScalarNode, SourceNode>> Entries { get; } = [];

    public override string Describe() => "a mapping";
}

/// <summary>A list.</summary>
internal sealed class ListNode(SourcePosition position) : SourceNode(position)
{
    public List<SourceNode> Items { get; } = [];

    public override string Describe() => "a list";
}
