using Weft.Core.Dags;

namespace Weft.Core.Definitions;

/// <summary>Reads <c>on_failure</c> / <c>on_success</c>: <c>{command: …}</c>, <c>{url: …}</c>, or a bare string.</summary>
internal static class HookMapper
{
    private static readonly string[] Known = ["command", "url"];

    public static HookDefinition? Map(SourceNode node, string field, FieldReader r)
    {
        switch (node)
        {
            case ScalarNode { IsNull: true }:
                return null;
            case ScalarNode s:
                return s.Value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || s.Value.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                    ? Url(s, field, r)
                    : new HookDefinition(s.Value, null, s.Position);
            case MapNode map:
                string? command = null;
                HookDefinition? hook = null;
                foreach (var (key, value) in map.Entries)
                {
                    switch (key.Value)
                    {
                        case "command" when r.TryString(value, $"{field}.command", out var c):
                            command = c;
                            break;
                        case "url" when value is ScalarNode { IsNull: false } u:
                            hook = Url(u, field, r);
                            break;
                        case "url":
                            r.Error(value.Position, $"expected a URL for '{field}.url', found {value.Describe()}");
                            break;
                        case not ("command" or "url"):
                            r.Error(key.Position, $"unknown field '{key.Value}' in '{field}'{NameSuggester.Hint(key.Value, Known)}; a hook is {{ command: … }} or {{ url: … }}");
                            break;
                    }
                }

                if (command is not null && hook is not null)
                {
                    r.Error(map.Position, $"'{field}' has both 'command' and 'url'; give one");
                    return null;
                }

                if (command is null && hook is null && !map.Entries.Any(e => e.Key.Value is "command" or "url"))
                {
                    r.Error(map.Position, $"'{field}' needs 'command' or 'url'");
                }

                return command is not null ? new HookDefinition(command, null, map.Position) : hook is null ? null : hook with { Position = map.Position };
            default:
                r.Error(node.Position, $"expected {{ command: … }} or {{ url: … }} for '{field}', found {node.Describe()}");
                return null;
        }
    }

    private static HookDefinition? Url(ScalarNode s, string field, FieldReader r)
    {
        if (Uri.TryCreate(s.Value.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return new HookDefinition(null, uri, s.Position);
        }

        r.Error(s.Position, $"invalid URL {s.Describe()} for '{field}'; expected an absolute http:// or https:// URL");
        return null;
    }
}
