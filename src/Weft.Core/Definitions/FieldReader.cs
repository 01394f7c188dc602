using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using Weft.Core.Dags;
using Weft.Core.Diagnostics;

namespace Weft.Core.Definitions;

/// <summary>One field of a mapping: the key as written and its value.</summary>
internal readonly record struct Field(ScalarNode Key, SourceNode Value);

/// <summary>Reads typed values out of nodes, reporting every mismatch as a diagnostic and carrying on.</summary>
internal sealed partial class FieldReader(string file, List<Diagnostic> diagnostics)
{
    public string File => file;

    /// <summary>Scalars whose text maps one to one onto the file, by position: the column shift to their first character.</summary>
    public Dictionary<SourcePosition, int> ContentShifts { get; } = [];

    public int ErrorCount { get; private set; }

    public void Error(SourcePosition at, string message)
    {
        ErrorCount++;
        diagnostics.Add(Diagnostic.Error(at, message));
    }

    public void Warning(SourcePosition at, string message) => diagnostics.Add(Diagnostic.Warning(at, message));

    /// <summary>
    /// The entries of a mapping by contract name (aliases resolved), reporting unknown fields with the nearest
    /// known one, and a field given twice (also under two spellings).
    /// </summary>
    public Dictionary<string, Field> Fields(MapNode map, string where, IReadOnlyList<string> known, FrozenSet<string> set, FrozenDictionary<string, string> aliases)
    {
        var fields = new Dictionary<string, Field>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Entries)
        {
            var name = aliases.TryGetValue(key.Value, out var canonical) ? canonical : key.Value;
            if (!set.Contains(name))
            {
                var hint = NameSuggester.Hint(key.Value, known.Concat(aliases.Keys));
                Error(key.Position, $"unknown field '{key.Value}' in {where}{(hint.Length > 0 ? hint : $"; known fields are {string.Join(", ", known)}")}");
                continue;
            }

            if (fields.TryGetValue(name, out var first))
            {
                var same = first.Key.Value == key.Value ? $"'{key.Value}' is given twice" : $"'{key.Value}' and '{first.Key.Value}' are the same field, given twice";
                Error(key.Position, $"{same} in {where} (first at line {first.Key.Position.Line}); keep one");
                continue;
            }

            fields[name] = new Field(key, value);
        }

        return fields;
    }

    /// <summary>Records where a value stands, and whether expression offsets inside it can be mapped onto columns.</summary>
    public void Track(ImmutableDictionary<string, SourcePosition>.Builder positions, string key, SourceNode node)
    {
        positions[key] = node.Position;
        if (node is ScalarNode { ContentShift: >= 0 } s)
        {
            ContentShifts[s.Position] = s.ContentShift;
        }
    }

    public bool TryString(SourceNode node, string field, out string value)
    {
        if (node is ScalarNode { IsNull: false } s)
        {
            value = s.Value;
            return true;
        }

        value = string.Empty;
        Error(node.Position, $"expected a string for '{field}', found {node.Describe()}");
        return false;
    }

    /// <summary>A scalar as text for env and headers: numbers and booleans as written, null as empty.</summary>
    public bool TryText(SourceNode node, string field, out string value)
    {
        if (node is ScalarNode s)
        {
            value = s.IsNull ? string.Empty : s.Value;
            return true;
        }

        value = string.Empty;
        Error(node.Position, $"expected a string for '{field}', found {node.Describe()}");
        return false;
    }

    public bool TryInt(SourceNode node, string field, out int value)
    {
        if (node is ScalarNode { IsQuoted: false } s && int.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        value = 0;
        Error(node.Position, $"expected an integer for '{field}', found {node.Describe()}");
        return false;
    }

    public bool TryBool(SourceNode node, string field, out bool value)
    {
        value = false;
        if (node is ScalarNode { IsQuoted: false } s)
        {
            switch (s.Value.ToLowerInvariant())
            {
                case "true" or "yes" or "on":
                    value = true;
                    return true;
                case "false" or "no" or "off":
                    return true;
            }
        }

        Error(node.Position, $"expected true or false for '{field}', found {node.Describe()}");
        return false;
    }

    public bool TryDuration(SourceNode node, string field, out TimeSpan value)
    {
        value = default;
        if (node is ScalarNode { IsNull: false } s && Duration.TryParse(s.Value, out value))
        {
            return true;
        }

        Error(node.Position, $"invalid duration {node.Describe()} for '{field}'; write e.g. 30s, 5m, 1h30m, 2d, PT30S or a number of seconds");
        return false;
    }

    /// <summary>One integer or a list of them.</summary>
    public bool TryIntList(SourceNode node, string field, out ImmutableArray<int> values)
    {
        var items = node is ListNode l ? l.Items : [node];
        var builder = ImmutableArray.CreateBuilder<int>(items.Count);
        var ok = true;
        foreach (var item in items)
        {
            if (TryInt(item, field, out var n)) builder.Add(n);
            else ok = false;
        }

        values = builder.ToImmutable();
        return ok;
    }

    /// <summary>One string or a list of them; each item's position is tracked as <c>field[i]</c>.</summary>
    public ImmutableArray<string> StringList(SourceNode node, string field, ImmutableDictionary<string, SourcePosition>.Builder? positions)
    {
        if (node is ScalarNode { IsNull: true })
        {
            return [];
        }

        var items = node is ListNode l ? l.Items : [node];
        var builder = ImmutableArray.CreateBuilder<string>(items.Count);
        foreach (var item in items)
        {
            if (TryString(item, field, out var s))
            {
                if (positions is not null) Track(positions, $"{field}[{builder.Count}]", item);
                builder.Add(s);
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>A mapping of names to scalars (env, headers); each value's position is tracked as <c>field.NAME</c>.</summary>
    public ImmutableDictionary<string, string> StringMap(SourceNode node, string field, ImmutableDictionary<string, SourcePosition>.Builder positions)
    {
        if (node is ScalarNode { IsNull: true })
        {
            return ImmutableDictionary<string, string>.Empty;
        }

        if (node is not MapNode map)
        {
            Error(node.Position, $"expected a mapping of names to values for '{field}', found {node.Describe()}");
            return ImmutableDictionary<string, string>.Empty;
        }

        var builder = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Entries)
        {
            if (TryText(value, $"{field}.{key.Value}", out var text))
            {
                Track(positions, $"{field}.{key.Value}", value);
                builder[key.Value] = text;
            }
        }

        return builder.ToImmutable();
    }
}
