using Weft.Core.Scheduling;
using static Weft.Core.Tests.Scheduling.ScheduleFixtures;

namespace Weft.Core.Tests.Scheduling;

public sealed class RunIdsTests
{
    [Fact]
    public void Scheduled_UtcInstant_IsIsoWithMillisecondsAndZ() =>
        Assert.Equal("scheduled__2026-11-22T10:00:00.000Z", RunIds.Scheduled(At("2026-11-22T10:00:00Z")));

    [Fact]
    public void Manual_OffsetInstant_IsWrittenInUtc() =>
        Assert.Equal("manual__2026-11-22T09:00:00.123Z", RunIds.Manual(At("2026-11-22T10:00:00.123+01:00")));

    [Fact]
    public void Backfill_LogicalDate_UsesBackfillPrefix() =>
        Assert.Equal("backfill__2028-02-29T23:59:59.999Z", RunIds.Backfill(At("2028-02-29T23:59:59.9999Z")));
}
