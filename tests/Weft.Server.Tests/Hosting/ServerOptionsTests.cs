using Weft.Server.Hosting;

namespace Weft.Server.Tests.Hosting;

public sealed class ServerOptionsTests
{
    [Fact]
    public void Defaults_AreValid_WithASecondOfCacheStaleness()
    {
        var options = new ServerOptions();
        Assert.Empty(options.Validate());
        Assert.Equal(TimeSpan.FromSeconds(1), options.CacheRefreshInterval);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(61)]
    public void CacheRefreshInterval_OutOfRange_IsNamed(int seconds)
    {
        var problems = new ServerOptions { CacheRefreshInterval = TimeSpan.FromSeconds(seconds) }.Validate().ToList();
        Assert.Contains(problems, p => p.Contains("Server:CacheRefreshInterval", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CacheRefreshInterval_Zero_ReadsEveryTime()
    {
        await using var server = await ServerHarness.StartAsync(new() { ["Server:CacheRefreshInterval"] = "00:00:00" });
        var viewer = server.As(Weft.Server.Auth.Roles.Viewer);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/dags")).StatusCode);
        Assert.True(await server.Store.SetPausedAsync("hello", true, CancellationToken.None));
        Assert.Contains("\"dag_id\":\"hello\"", await viewer.GetStringAsync("/api/v1/dags?paused=true"), StringComparison.Ordinal);
        Assert.True(await server.Store.RevokeTokenAsync("test-viewer", DateTimeOffset.UtcNow, CancellationToken.None));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await viewer.GetAsync("/api/v1/dags")).StatusCode);
    }
}
