using Weft.Core.Dags;
using Weft.Core.Diagnostics;

namespace Weft.Core.Definitions;

/// <summary>Assembles nodes from a stream of start/end/value events, for both the YAML and the JSON reader.</summary>
internal sealed class TreeBuilder(string file, List<Diagnostic> diagnostics)
{
    private readonly Stack<(SourceNode Node, string? Anchor)> _open = new();
    private readonly Stack<ScalarNode?> _pendingKeys = new();
    private readonly Dictionary<string, SourceNode> _anchors = new(StringComparer.Ordinal);

    public SourceNode? Root { get; private set; }

    public bool Failed { get; private set; }

    public void Open(SourceNode node, string? anchor)
    {
        if (_open.Count >= YamlTreeReader.MaxDepth)
        {
            Fail(node.Position, $"nesting deeper than {YamlTreeReader.MaxDepth} levels; a DAG file needs only a few");
            return;
        }

        _open.Push((node, anchor));
        _pendingKeys.Push(null);
    }

    public void Close()
    {
        if (_open.Count == 0)
        {
            return;
        }

        var (node, anchor) = _open.Pop();
        _pendingKeys.Pop();
        if (node is MapNode map)
        {
            MergeKeys.Expand(map);
        }

        Add(node, anchor);
    }

    public void Alias(string name, SourcePosition at)
    {
        if (_anchors.TryGetValue(name, out var node))
        {
            Add(node, null);
        }
        else
        {
            Fail(at, $"unknown alias '*{name}': no anchor '&{name}' is defined before it");
        }
    }

    public void Add(SourceNode node, string? anchor)
    {
        if (anchor is not null)
        {
            _anchors[anchor] = node;
        }

        if (_open.Count == 0)
        {
            Root ??= node;
            return;
        }

        switch (_open.Peek().Node)
        {
            case ListNode list:
                list.Items.Add(node);
                break;
            case MapNode map:
                var key = _pendingKeys.Pop();
                if (key is null)
                {
                    if (node is ScalarNode s)
                    {
                        _pendingKeys.Push(s);
                    }
                    else
                    {
                        diagnostics.Add(Diagnostic.Error(node.Position, $"a field name must be a plain name, found {node.Describe()}"));
                        _pendingKeys.Push(new ScalarNode(node.Position, "?", true, -1));
                    }
                }
                else
                {
                    map.Entries.Add(new(key, node));
                    _pendingKeys.Push(null);
                }

                break;
        }
    }

    private void Fail(SourcePosition at, string message)
    {
        diagnostics.Add(Diagnostic.Error(at, message));
        Failed = true;
    }

    public string File => file;
}
