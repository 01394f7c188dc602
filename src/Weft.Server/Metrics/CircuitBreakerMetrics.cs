using System.Globalization;
using System.Text;
using Weft.Engine.Storage;

namespace Weft.Server.Metrics;

/// <summary>
/// The circuit breakers as Prometheus gauges, read from the database at scrape time (a breaker is shared by every
/// process, so no one process's meter knows its state).
/// </summary>
internal static class CircuitBreakerMetrics
{
    public static string Render(IReadOnlyList<CircuitRecord> circuits)
    {
        if (circuits.Count == 0)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        text.Append("# HELP weft_circuit_breaker_open 1 while the circuit breaker is open or probing, else 0\n");
        text.Append("# TYPE weft_circuit_breaker_open gauge\n");
        foreach (var c in circuits)
        {
            text.Append(CultureInfo.InvariantCulture, $"weft_circuit_breaker_open{{name=\"{Escape(c.Name)}\",state=\"{c.State}\"}} {(c.State == "closed" ? 0 : 1)}\n");
        }

        text.Append("# HELP weft_circuit_breaker_failures Consecutive failed attempts through the circuit breaker\n");
        text.Append("# TYPE weft_circuit_breaker_failures gauge\n");
        foreach (var c in circuits)
        {
            text.Append(CultureInfo.InvariantCulture, $"weft_circuit_breaker_failures{{name=\"{Escape(c.Name)}\"}} {c.Failures}\n");
        }

        return text.ToString();
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
