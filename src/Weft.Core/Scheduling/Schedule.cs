namespace Weft.Core.Scheduling;

/// <summary>
/// When a DAG runs: a cron expression, a preset or a fixed interval, evaluated in the DAG's time zone.
/// Placeholder surface; the scheduling work fills in parsing and tick computation.
/// </summary>
public abstract class Schedule
{
    /// <summary>Creates a schedule from its source text.</summary>
    protected Schedule(string text) => Text = text;

    /// <summary>The text as written in the DAG file.</summary>
    public string Text { get; }

    /// <summary>Parses <c>0 2 * * *</c>, a 6-field cron, <c>@daily</c> and friends, or <c>every 15m</c>.</summary>
    public static bool TryParse(string text, out Schedule? schedule, out string? error) =>
        throw new NotImplementedException();
}
