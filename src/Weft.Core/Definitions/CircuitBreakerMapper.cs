using Weft.Core.Dags;

namespace Weft.Core.Definitions;

/// <summary>Reads <c>circuit_breaker: { name, failures, cooldown }</c> (the Go orchestrator's breaker).</summary>
internal static class CircuitBreakerMapper
{
    private static readonly string[] Known = ["name", "failures", "cooldown"];

    public static CircuitBreakerDefinition? Map(SourceNode node, FieldReader r)
    {
        if (node is not MapNode map)
        {
            r.Error(node.Position, $"expected {{ name: …, failures: N, cooldown: 30s }} for 'circuit_breaker', found {node.Describe()}");
            return null;
        }

        string? name = null;
        var failures = 5;
        var cooldown = TimeSpan.FromSeconds(60);
        var ok = true;
        foreach (var (key, value) in map.Entries)
        {
            switch (key.Value)
            {
                case "name":
                    ok &= r.TryString(value, "circuit_breaker.name", out var n);
                    name = n;
                    break;
                case "failures" or "threshold" or "max_failures":
                    ok &= r.TryInt(value, "circuit_breaker.failures", out failures);
                    if (failures < 1)
                    {
                        r.Error(value.Position, "'circuit_breaker.failures' must be at least 1");
                        ok = false;
                    }

                    break;
                case "cooldown" or "reset_timeout":
                    ok &= r.TryDuration(value, "circuit_breaker.cooldown", out cooldown);
                    break;
                default:
                    r.Error(key.Position, $"unknown field '{key.Value}' in 'circuit_breaker'{NameSuggester.Hint(key.Value, Known)}; a breaker is {{ name, failures, cooldown }}");
                    ok = false;
                    break;
            }
        }

        if (name is null && ok)
        {
            r.Error(map.Position, "'circuit_breaker' needs a 'name': tasks that share it share the breaker");
            return null;
        }

        return ok ? new CircuitBreakerDefinition(name!.Trim(), failures, cooldown) : null;
    }
}
