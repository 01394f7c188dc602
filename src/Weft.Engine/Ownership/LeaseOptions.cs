namespace Weft.Engine.Ownership;

/// <summary>How an executing process holds its lease on the work it claimed.</summary>
internal sealed class LeaseOptions
{
    /// <summary>How often the lease is renewed.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a lease holds after its last renewal; then the owner's work may be claimed by another.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long before its lease would end an owner that could not renew it stops its work (kills its task trees and
    /// lets go), so that nothing it started still runs when another owner takes the work over.
    /// </summary>
    public TimeSpan FenceMargin => TimeSpan.FromTicks(Math.Max(HeartbeatInterval.Ticks, LeaseDuration.Ticks / 5));

    /// <summary>Reads <c>WEFT_HEARTBEAT_INTERVAL</c> and <c>WEFT_LEASE_DURATION</c> (seconds, or a duration like <c>2s</c>) over the defaults.</summary>
    public static LeaseOptions FromEnvironment()
    {
        var defaults = new LeaseOptions();
        return new LeaseOptions
        {
            HeartbeatInterval = Read("WEFT_HEARTBEAT_INTERVAL") ?? defaults.HeartbeatInterval,
            LeaseDuration = Read("WEFT_LEASE_DURATION") ?? defaults.LeaseDuration,
        };

        static TimeSpan? Read(string name) =>
            Environment.GetEnvironmentVariable(name) is { Length: > 0 } text && Core.Definitions.Duration.TryParse(text, out var value) && value > TimeSpan.Zero
                ? value
                : null;
    }
}
