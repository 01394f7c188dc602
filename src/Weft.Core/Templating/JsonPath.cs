using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace Weft.Core.Templating;

/// <summary>
/// The part of <c>tasks.ID.outputs.…</c> after <c>outputs.</c>: an output key, then member names and <c>[N]</c>
/// indexes that navigate the output's JSON value (<c>payload.items[0].id</c>).
/// </summary>
internal static class JsonPath
{
    /// <summary>One step: a member name, or a list index when <see cref="Name"/> is null.</summary>
    internal readonly record struct Step(string? Name, int Index);

    /// <summary>The steps of a path, or null when a bracket is not a well-formed <c>[N]</c>.</summary>
    public static ImmutableArray<Step>? TrySplit(string path)
    {
        var steps = ImmutableArray.CreateBuilder<Step>();
        var i = 0;
        var name = new System.Text.StringBuilder();
        while (i < path.Length)
        {
            var c = path[i];
            if (c == '.')
            {
                if (name.Length == 0 && (steps.Count == 0 || path[i - 1] != ']')) return null;
                if (name.Length > 0) steps.Add(new Step(name.ToString(), 0));
                name.Clear();
                i++;
            }
            else if (c == '[')
            {
                if (name.Length > 0) steps.Add(new Step(name.ToString(), 0));
                else if (steps.Count == 0) return null;
                name.Clear();
                var close = path.IndexOf(']', i);
                if (close < 0 || !int.TryParse(path.AsSpan(i + 1, close - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)) return null;
                steps.Add(new Step(null, index));
                i = close + 1;
                if (i < path.Length && path[i] is not ('.' or '[')) return null;
            }
            else if (c == ']')
            {
                return null;
            }
            else
            {
                name.Append(c);
                i++;
            }
        }

        if (name.Length > 0) steps.Add(new Step(name.ToString(), 0));
        else if (path.Length == 0 || path[^1] == '.') return null;
        return steps.ToImmutable();
    }

    /// <summary>
    /// Resolves a path against a task's outputs: the whole path when it is an output key (keys may hold dots),
    /// else the longest leading key whose value is JSON, navigated by the rest. False when nothing is there.
    /// </summary>
    public static bool TryResolve(IReadOnlyDictionary<string, string> outputs, string path, out string value)
    {
        if (outputs.TryGetValue(path, out value!))
        {
            return true;
        }

        value = string.Empty;
        if (TrySplit(path) is not { } steps)
        {
            return false;
        }

        for (var take = steps.Length - 1; take >= 1; take--)
        {
            if (steps.Take(take).Any(s => s.Name is null)) continue;
            var key = string.Join('.', steps.Take(take).Select(s => s.Name));
            if (!outputs.TryGetValue(key, out var text)) continue;
            return TryNavigate(text, steps.RemoveRange(0, take), out value);
        }

        return false;
    }

    private static bool TryNavigate(string json, ImmutableArray<Step> steps, out string value)
    {
        value = string.Empty;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return false;
        }

        using (doc)
        {
            var e = doc.RootElement;
            foreach (var step in steps)
            {
                if (step.Name is { } member)
                {
                    if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(member, out e)) return false;
                }
                else if (e.ValueKind != JsonValueKind.Array || step.Index >= e.GetArrayLength())
                {
                    return false;
                }
                else
                {
                    e = e[step.Index];
                }
            }

            switch (e.ValueKind)
            {
                case JsonValueKind.Null or JsonValueKind.Undefined:
                    return false;
                case JsonValueKind.String:
                    value = e.GetString()!;
                    return true;
                case JsonValueKind.Object or JsonValueKind.Array:
                    // Compact JSON, however the output was formatted.
                    using (var buffer = new MemoryStream())
                    {
                        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                        {
                            e.WriteTo(w);
                        }

                        value = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
                    }

                    return true;
                default:
                    value = e.GetRawText();
                    return true;
            }
        }
    }
}
