using Weft.Core.Definitions;

namespace Weft.Core.Scheduling;

/// <summary>
/// When a DAG runs: a cron expression, a preset or a fixed interval, evaluated in the DAG's time zone.
/// </summary>
public abstract partial class Schedule
{
    private static readonly Dictionary<string, string> Presets = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@hourly"] = "0 * * * *",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@weekly"] = "0 0 * * 0",
        ["@monthly"] = "0 0 1 * *",
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
    };

    /// <summary>Creates a schedule from its source text.</summary>
    private protected Schedule(string text) => Text = text;

    /// <summary>The text as written in the DAG file.</summary>
    public string Text { get; }

    /// <summary>Parses <c>0 2 * * *</c>, a 6-field cron (seconds first), <c>@daily</c> and friends (also without the <c>@</c>), <c>@once</c>, or <c>every 15m</c>.</summary>
    public static bool TryParse(string text, out Schedule? schedule, out string? error)
    {
        schedule = null;
        error = null;
        var s = text.Trim();
        if (s.Length == 0)
        {
            error = "empty schedule; omit the field for a manual-only DAG";
            return false;
        }

        // Featherflow and the Go orchestrator write the presets without '@': `schedule: daily`.
        if (s.Equals("once", StringComparison.OrdinalIgnoreCase) || Presets.ContainsKey("@" + s))
        {
            s = "@" + s;
        }

        if (s.Equals("@once", StringComparison.OrdinalIgnoreCase))
        {
            schedule = new OnceSchedule(text);
            return true;
        }

        if (s.StartsWith('@'))
        {
            if (!Presets.TryGetValue(s, out var cron))
            {
                error = $"unknown schedule preset '{s}'; expected one of @once, {string.Join(", ", Presets.Keys.Where(k => k is not "@midnight" and not "@annually"))}";
                return false;
            }

            schedule = CronSchedule.Create(text, cron, out error);
            return schedule is not null;
        }

        if (s.StartsWith("every ", StringComparison.OrdinalIgnoreCase))
        {
            var d = s["every ".Length..].Trim();
            if (!Duration.TryParse(d, out var every) || every <= TimeSpan.Zero)
            {
                error = $"invalid interval '{d}' in '{s}'; write a duration such as 'every 15m' or 'every 1h30m'";
                return false;
            }

            if (every < TimeSpan.FromSeconds(1))
            {
                error = $"interval '{d}' is shorter than one second";
                return false;
            }

            schedule = new IntervalSchedule(text, every);
            return true;
        }

        schedule = CronSchedule.Create(text, s, out error);
        return schedule is not null;
    }
}
