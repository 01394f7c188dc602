using Microsoft.Extensions.Time.Testing;
using Weft.Server.Caching;

namespace Weft.Server.Tests.Caching;

public sealed class RefreshingValueTests
{
    private readonly FakeTimeProvider _time = new();
    private int _loads;

    private RefreshingValue<string> Make(Func<Task>? gate = null) => new(async _ =>
    {
        var n = Interlocked.Increment(ref _loads);
        if (gate is not null)
        {
            await gate();
        }

        return "v" + n;
    }, _time);

    [Fact]
    public async Task GetAsync_WithinMaxAge_ReusesTheValue_ThenLoadsAgain()
    {
        var value = Make();
        Assert.Equal("v1", await value.GetAsync(TimeSpan.FromSeconds(1), CancellationToken.None));
        _time.Advance(TimeSpan.FromMilliseconds(900));
        Assert.Equal("v1", await value.GetAsync(TimeSpan.FromSeconds(1), CancellationToken.None));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal("v2", await value.GetAsync(TimeSpan.FromSeconds(1), CancellationToken.None));
    }

    [Fact]
    public async Task Invalidate_LoadsAgainOnTheNextGet()
    {
        var value = Make();
        Assert.Equal("v1", await value.GetAsync(TimeSpan.FromMinutes(1), CancellationToken.None));
        value.Invalidate();
        Assert.Equal("v2", await value.GetAsync(TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Equal("v2", await value.GetAsync(TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    [Fact]
    public async Task ConcurrentCallers_ShareOneLoad()
    {
        var release = new TaskCompletionSource();
        var value = Make(() => release.Task);
        var waiting = Enumerable.Range(0, 8).Select(_ => value.GetAsync(TimeSpan.FromSeconds(1), CancellationToken.None).AsTask()).ToList();
        release.SetResult();
        Assert.All(await Task.WhenAll(waiting), v => Assert.Equal("v1", v));
        Assert.Equal(1, _loads);
    }

    [Fact]
    public async Task Invalidate_DuringALoad_IsNotAnsweredByThatLoad()
    {
        var first = new TaskCompletionSource();
        var value = Make(() => _loads == 1 ? first.Task : Task.CompletedTask);
        var early = value.GetAsync(TimeSpan.FromSeconds(1), CancellationToken.None).AsTask();
        value.Invalidate();
        // Started after the change: must not join the load that began before it.
        Assert.Equal("v2", await value.GetAsync(TimeSpan.FromSeconds(1), CancellationToken.None));
        first.SetResult();
        Assert.Equal("v1", await early);
        // The older load finished last but does not replace the newer value.
        Assert.Equal("v2", await value.GetAsync(TimeSpan.FromSeconds(1), CancellationToken.None));
    }

    [Fact]
    public async Task ACallerGivingUp_DoesNotCancelTheSharedLoad()
    {
        var release = new TaskCompletionSource();
        var value = Make(() => release.Task);
        using var cancel = new CancellationTokenSource();
        var abandoned = value.GetAsync(TimeSpan.FromSeconds(1), cancel.Token).AsTask();
        var patient = value.GetAsync(TimeSpan.FromSeconds(1), CancellationToken.None).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        release.SetResult();
        Assert.Equal("v1", await patient);
        Assert.Equal(1, _loads);
    }
}
