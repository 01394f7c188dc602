using System.Globalization;
using System.Xml;

namespace Weft.Core.Definitions;

/// <summary>Durations as DAG files write them: <c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>2d</c>, <c>PT30S</c> or a bare number of seconds.</summary>
public static class Duration
{
    /// <summary>Parses a duration; false for anything else, negatives included.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            if (seconds < 0 || double.IsNaN(seconds) || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
            {
                return false;
            }

            value = TimeSpan.FromSeconds(seconds);
            return true;
        }

        if (s[0] is 'P' or 'p')
        {
            try
            {
                value = XmlConvert.ToTimeSpan(s.ToUpperInvariant());
                return value >= TimeSpan.Zero;
            }
            catch (FormatException)
            {
                return false;
            }
        }

        return TryParseUnits(s, out value);
    }

    /// <summary>Writes a duration the short way (<c>1h30m</c>).</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var parts = new System.Text.StringBuilder();
        if (value.Days > 0) parts.Append(value.Days).Append('d');
        if (value.Hours > 0) parts.Append(value.Hours).Append('h');
        if (value.Minutes > 0) parts.Append(value.Minutes).Append('m');
        if (value.Seconds > 0) parts.Append(value.Seconds).Append('s');
        if (value.Milliseconds > 0) parts.Append(value.Milliseconds).Append("ms");
        return parts.ToString();
    }

    private static bool TryParseUnits(string s, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var i = 0;
        var any = false;
        while (i < s.Length)
        {
            while (i < s.Length && s[i] == ' ') i++;
            if (i == s.Length) break;

            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (start == i || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            {
                return false;
            }

            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i])) i++;
            var unit = s[unitStart..i].ToLowerInvariant();
            var factor = unit switch
            {
                "ms" => TimeSpan.FromMilliseconds(1),
                "s" or "sec" or "secs" or "second" or "seconds" => TimeSpan.FromSeconds(1),
                "m" or "min" or "mins" or "minute" or "minutes" => TimeSpan.FromMinutes(1),
                "h" or "hr" or "hrs" or "hour" or "hours" => TimeSpan.FromHours(1),
                "d" or "day" or "days" => TimeSpan.FromDays(1),
                "w" or "week" or "weeks" => TimeSpan.FromDays(7),
                _ => (TimeSpan?)null,
            };
            if (factor is null || n * factor.Value.TotalSeconds > TimeSpan.MaxValue.TotalSeconds / 2)
            {
                return false;
            }

            value += TimeSpan.FromSeconds(n * factor.Value.TotalSeconds);
            any = true;
        }

        return any;
    }
}
