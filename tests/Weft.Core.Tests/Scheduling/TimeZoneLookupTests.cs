namespace Weft.Core.Tests.Scheduling;

// The build sets InvariantGlobalization; IANA zones must still load from the system tz database.
public sealed class TimeZoneLookupTests
{
    [Theory]
    [InlineData("Europe/Amsterdam", 1)]
    [InlineData("America/New_York", -5)]
    [InlineData("UTC", 0)]
    public void FindSystemTimeZoneById_IanaId_LoadsWithDaylightRules(string id, int standardHours)
    {
        var zone = ScheduleFixtures.Zone(id);

        Assert.Equal(TimeSpan.FromHours(standardHours), zone.BaseUtcOffset);
        Assert.Equal(id != "UTC", zone.SupportsDaylightSavingTime);
    }
}
