using System.Collections.Immutable;
using Weft.Core.Dags;

namespace Weft.Core.Definitions;

/// <summary>Script arguments: a list as written, or a mapping rendered as <c>--key value</c> pairs.</summary>
internal static class TaskArgs
{
    /// <summary>A mapping's values as JSON (typed, for a python function's keyword arguments); empty for a list.</summary>
    public static ImmutableDictionary<string, System.Text.Json.JsonElement> Keywords(SourceNode node)
    {
        var result = ImmutableDictionary.CreateBuilder<string, System.Text.Json.JsonElement>(StringComparer.Ordinal);
        if (node is MapNode map)
        {
            foreach (var (key, value) in map.Entries)
            {
                if (JsonValues.TryConvert(value, out var json, out _))
                {
                    result[key.Value] = json;
                }
            }
        }

        return result.ToImmutable();
    }

    public static ImmutableArray<string> Read(SourceNode node, FieldReader r, ImmutableDictionary<string, SourcePosition>.Builder positions)
    {
        if (node is not MapNode map)
        {
            return r.StringList(node, "args", positions);
        }

        var args = ImmutableArray.CreateBuilder<string>();
        foreach (var (key, value) in map.Entries)
        {
            var flag = key.Value.StartsWith('-') ? key.Value : "--" + key.Value;
            var values = value is ListNode list ? list.Items : [value];
            foreach (var item in values)
            {
                switch (item)
                {
                    case ScalarNode { IsQuoted: false, Value: "true" or "True" or "TRUE" }:
                        // A switch: `verbose: true` renders as `--verbose` alone.
                        positions[$"args[{args.Count}]"] = key.Position;
                        args.Add(flag);
                        break;
                    case ScalarNode { IsQuoted: false, Value: "false" or "False" or "FALSE" } or ScalarNode { IsNull: true }:
                        break;
                    case ScalarNode s:
                        positions[$"args[{args.Count}]"] = key.Position;
                        args.Add(flag);
                        r.Track(positions, $"args[{args.Count}]", s);
                        args.Add(s.Value);
                        break;
                    default:
                        r.Error(item.Position, $"expected a string, number or boolean for 'args.{key.Value}', found {item.Describe()}");
                        break;
                }
            }
        }

        return args.ToImmutable();
    }
}
