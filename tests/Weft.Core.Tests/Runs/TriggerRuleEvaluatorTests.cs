using Weft.Core.Runs;
using static Weft.Core.Runs.TriggerRule;

namespace Weft.Core.Tests.Runs;

public sealed class TriggerRuleEvaluatorTests
{
    // Upstream states, one letter each: S success, F failed, U upstream_failed, K skipped, R not finished.
    [Theory]
    [InlineData(AllSuccess, "SS", "run")]
    [InlineData(AllSuccess, "S", "run")]
    [InlineData(AllSuccess, "SR", "wait")]
    [InlineData(AllSuccess, "RR", "wait")]
    [InlineData(AllSuccess, "SF", "upstream_failed")]
    [InlineData(AllSuccess, "FR", "upstream_failed")]
    [InlineData(AllSuccess, "UR", "upstream_failed")]
    [InlineData(AllSuccess, "SK", "skip")]
    [InlineData(AllSuccess, "KR", "skip")]
    [InlineData(AllSuccess, "KF", "upstream_failed")]
    [InlineData(AllSuccess, "KU", "upstream_failed")]
    [InlineData(AllSuccess, "SSK", "skip")]
    [InlineData(AllFailed, "FF", "run")]
    [InlineData(AllFailed, "FU", "run")]
    [InlineData(AllFailed, "UU", "run")]
    [InlineData(AllFailed, "FR", "wait")]
    [InlineData(AllFailed, "RR", "wait")]
    [InlineData(AllFailed, "SR", "skip")]
    [InlineData(AllFailed, "KF", "skip")]
    [InlineData(AllFailed, "FFS", "skip")]
    [InlineData(AllFailed, "KR", "skip")]
    [InlineData(AllDone, "SFKU", "run")]
    [InlineData(AllDone, "KK", "run")]
    [InlineData(AllDone, "FF", "run")]
    [InlineData(AllDone, "SR", "wait")]
    [InlineData(AllDone, "UR", "wait")]
    [InlineData(AllDone, "RR", "wait")]
    [InlineData(AllSkipped, "KK", "run")]
    [InlineData(AllSkipped, "K", "run")]
    [InlineData(AllSkipped, "KR", "wait")]
    [InlineData(AllSkipped, "RR", "wait")]
    [InlineData(AllSkipped, "KS", "skip")]
    [InlineData(AllSkipped, "KF", "skip")]
    [InlineData(AllSkipped, "KU", "skip")]
    [InlineData(AllSkipped, "SR", "skip")]
    [InlineData(OneSuccess, "SR", "run")]
    [InlineData(OneSuccess, "RRS", "run")]
    [InlineData(OneSuccess, "FS", "run")]
    [InlineData(OneSuccess, "KS", "run")]
    [InlineData(OneSuccess, "FF", "upstream_failed")]
    [InlineData(OneSuccess, "FK", "upstream_failed")]
    [InlineData(OneSuccess, "KU", "upstream_failed")]
    [InlineData(OneSuccess, "UU", "upstream_failed")]
    [InlineData(OneSuccess, "KK", "skip")]
    [InlineData(OneSuccess, "FR", "wait")]
    [InlineData(OneSuccess, "KR", "wait")]
    [InlineData(OneSuccess, "RR", "wait")]
    [InlineData(OneFailed, "FR", "run")]
    [InlineData(OneFailed, "UR", "run")]
    [InlineData(OneFailed, "SF", "run")]
    [InlineData(OneFailed, "SS", "skip")]
    [InlineData(OneFailed, "SK", "skip")]
    [InlineData(OneFailed, "KK", "skip")]
    [InlineData(OneFailed, "SR", "wait")]
    [InlineData(OneFailed, "RR", "wait")]
    [InlineData(OneDone, "SR", "run")]
    [InlineData(OneDone, "FR", "run")]
    [InlineData(OneDone, "KF", "run")]
    [InlineData(OneDone, "UR", "wait")]
    [InlineData(OneDone, "KR", "wait")]
    [InlineData(OneDone, "UU", "skip")]
    [InlineData(OneDone, "KK", "skip")]
    [InlineData(OneDone, "UK", "skip")]
    [InlineData(NoneFailed, "SS", "run")]
    [InlineData(NoneFailed, "SK", "run")]
    [InlineData(NoneFailed, "KK", "run")]
    [InlineData(NoneFailed, "SR", "wait")]
    [InlineData(NoneFailed, "FR", "upstream_failed")]
    [InlineData(NoneFailed, "UR", "upstream_failed")]
    [InlineData(NoneFailed, "SF", "upstream_failed")]
    [InlineData(NoneFailed, "KU", "upstream_failed")]
    [InlineData(NoneFailedMinOneSuccess, "SS", "run")]
    [InlineData(NoneFailedMinOneSuccess, "SK", "run")]
    [InlineData(NoneFailedMinOneSuccess, "KK", "skip")]
    [InlineData(NoneFailedMinOneSuccess, "KR", "wait")]
    [InlineData(NoneFailedMinOneSuccess, "SR", "wait")]
    [InlineData(NoneFailedMinOneSuccess, "FR", "upstream_failed")]
    [InlineData(NoneFailedMinOneSuccess, "KU", "upstream_failed")]
    [InlineData(NoneFailedMinOneSuccess, "SKF", "upstream_failed")]
    [InlineData(NoneSkipped, "SS", "run")]
    [InlineData(NoneSkipped, "SF", "run")]
    [InlineData(NoneSkipped, "FU", "run")]
    [InlineData(NoneSkipped, "KR", "skip")]
    [InlineData(NoneSkipped, "SK", "skip")]
    [InlineData(NoneSkipped, "SR", "wait")]
    [InlineData(NoneSkipped, "RR", "wait")]
    [InlineData(Always, "RR", "run")]
    [InlineData(Always, "FF", "run")]
    [InlineData(Always, "KK", "run")]
    [InlineData(Always, "UR", "run")]
    public void Evaluate_UpstreamMix_MatchesAirflow(TriggerRule rule, string upstreams, string expected)
    {
        var decision = TriggerRuleEvaluator.Evaluate(rule, Counts(upstreams));

        Assert.Equal(Parse(expected), decision);
    }

    [Theory]
    [MemberData(nameof(EveryRule))]
    public void Evaluate_NoUpstream_Runs(TriggerRule rule)
    {
        Assert.Equal(TriggerDecision.Run, TriggerRuleEvaluator.Evaluate(rule, Counts("")));
    }

    [Theory]
    [InlineData("", 0, 0)]
    [InlineData("SFUK", 4, 4)]
    [InlineData("SRRK", 4, 2)]
    public void UpstreamCounts_Done_SumsFinishedStates(string upstreams, int total, int done)
    {
        var counts = Counts(upstreams);

        Assert.Equal(total, counts.Total);
        Assert.Equal(done, counts.Done);
        Assert.Equal(total == done, counts.AllDone);
    }

    public static TheoryData<TriggerRule> EveryRule() => [.. Enum.GetValues<TriggerRule>()];

    private static UpstreamCounts Counts(string upstreams) => new(
        upstreams.Length,
        upstreams.Count(c => c == 'S'),
        upstreams.Count(c => c == 'F'),
        upstreams.Count(c => c == 'U'),
        upstreams.Count(c => c == 'K'));

    private static TriggerDecision Parse(string expected) => expected switch
    {
        "run" => TriggerDecision.Run,
        "wait" => TriggerDecision.Wait,
        "skip" => TriggerDecision.Skip,
        "upstream_failed" => TriggerDecision.UpstreamFailed,
        _ => throw new ArgumentOutOfRangeException(nameof(expected)),
    };
}
