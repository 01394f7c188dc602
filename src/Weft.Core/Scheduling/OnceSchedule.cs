namespace Weft.Core.Scheduling;

/// <summary><c>@once</c>: a single run, at <c>start_date</c>, whose data interval is that one instant.</summary>
internal sealed class OnceSchedule(string text) : Schedule(text)
{
    /// <inheritdoc/>
    private protected override bool IntervalsAreInstants => true;

    /// <inheritdoc/>
    private protected override DateTimeOffset? NextTickCore(DateTimeOffset after, TimeZoneInfo zone, DateTimeOffset? anchor) =>
        anchor is { } a && a > after ? a : null;

    /// <inheritdoc/>
    private protected override DateTimeOffset? LatestTickAtOrBeforeCore(DateTimeOffset at, TimeZoneInfo zone, DateTimeOffset? anchor) =>
        anchor is { } a && a <= at ? a : null;
}
