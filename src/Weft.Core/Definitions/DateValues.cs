using System.Globalization;
using System.Text.RegularExpressions;

namespace Weft.Core.Definitions;

/// <summary>Dates and time zones as DAG files write them.</summary>
internal static partial class DateValues
{
    private static readonly string[] LocalFormats =
    [
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
    ];

    /// <summary>
    /// A date (midnight in <paramref name="zone"/>) or an ISO-8601 date-time: with an offset it is that instant,
    /// without one it is read in <paramref name="zone"/>.
    /// </summary>
    public static bool TryParseInstant(string text, TimeZoneInfo zone, out DateTimeOffset value)
    {
        value = default;
        var s = text.Trim();
        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            value = InZone(date.ToDateTime(TimeOnly.MinValue), zone);
            return true;
        }

        if (OffsetSuffix().IsMatch(s))
        {
            return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out value);
        }

        if (DateTime.TryParseExact(s, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            value = InZone(local, zone);
            return true;
        }

        return false;
    }

    /// <summary>The instant a wall-clock time stands for in a zone; a time skipped by a DST jump moves past the gap.</summary>
    public static DateTimeOffset InZone(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        for (var i = 0; i < 24 * 4 && zone.IsInvalidTime(local); i++)
        {
            local = local.AddMinutes(15);
        }

        // For an ambiguous time (fall back) the first occurrence is the one with the larger offset.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    public static bool TryFindZone(string name, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            return false;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(name.Trim());
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException or IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            return false;
        }
    }

    /// <summary>A known zone close to a misspelt one: same city ignoring case, or a small edit away.</summary>
    public static string? SuggestZone(string name)
    {
        IEnumerable<string> ids;
        try
        {
            ids = TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).ToList();
        }
        catch (Exception)
        {
            return null;
        }

        var city = name.Trim().Replace(' ', '_');
        var byCity = ids.FirstOrDefault(id => id.EndsWith("/" + city, StringComparison.OrdinalIgnoreCase) || id.Equals(city, StringComparison.OrdinalIgnoreCase));
        return byCity ?? NameSuggester.Nearest(name, ids);
    }

    [GeneratedRegex(@"\d[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|z|[+-]\d{2}(:?\d{2})?)$")]
    private static partial Regex OffsetSuffix();
}
