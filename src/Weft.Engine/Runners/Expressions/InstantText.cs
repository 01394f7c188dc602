using Weft.Core.Scheduling;

namespace Weft.Engine.Runners.Expressions;

/// <summary>The one text form of an instant that expressions and environment variables use.</summary>
internal static class InstantText
{
    /// <summary>ISO-8601 UTC with milliseconds (<c>2026-11-22T10:00:00.000Z</c>); empty for null.</summary>
    public static string Format(DateTimeOffset? instant) =>
        instant is { } value ? RunIds.Format(value) : string.Empty;
}
