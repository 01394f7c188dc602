using Weft.Core.Definitions;
using Weft.Core.Scheduling;

namespace Weft.Cli.Commands;

/// <summary>Times given on the command line (<c>--after</c>, <c>--from</c>, <c>--to</c>), read as DAG files read dates.</summary>
internal static class SchedulerTimes
{
    /// <summary>
    /// A date (midnight), or an ISO-8601 date-time; without an offset it is read in the DAG's time zone.
    /// <c>now</c> is the current time.
    /// </summary>
    public static DateTimeOffset Parse(string text, TimeZoneInfo zone, string option)
    {
        if (text.Trim().Equals("now", StringComparison.OrdinalIgnoreCase))
        {
            return DateTimeOffset.UtcNow;
        }

        if (DateValues.TryParseInstant(text, zone, out var value))
        {
            return value.ToUniversalTime();
        }

        throw CliException.Usage(
            $"{option}: '{text}' is not a date or date-time",
            $"write for example 2024-01-31 or 2024-01-31T06:00:00Z (without an offset, it is read in the DAG's time zone, {zone.Id})");
    }

    /// <summary>An instant as the CLI prints it: ISO-8601 UTC with milliseconds.</summary>
    public static string Format(DateTimeOffset instant) => RunIds.Format(instant);
}
