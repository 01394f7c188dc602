using static Weft.Cli.Tests.Operations.OperationsFixture;

namespace Weft.Cli.Tests.Operations;

public sealed class PoolsCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Set_ThenList_ShowsThePool()
    {
        var set = await _dir.Weft().RunAsync("pools", "set", "gpu", "2");
        var resize = await _dir.Weft().RunAsync("pools", "set", "gpu", "3");

        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.True(resize.ExitCode == 0, resize.ToString());
        using var json = await JsonAsync(_dir, "pools", "list");
        var gpu = json.RootElement.GetProperty("pools").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "gpu");
        Assert.Equal(3, gpu.GetProperty("slots").GetInt32());
        Assert.Equal(0, gpu.GetProperty("occupied_slots").GetInt32());
        var text = await _dir.Weft().RunAsync("pools", "list");
        Assert.Contains(text.StdoutLines, l => l.StartsWith("gpu ", StringComparison.Ordinal) && l.Contains(" 3 "));
    }

    [Theory]
    [InlineData("bad name", "2")]
    [InlineData("-dash", "2")]
    [InlineData("ok", "-1")]
    [InlineData("ok", "many")]
    public async Task Set_BadNameOrSlots_ExitsTwo(string name, string slots)
    {
        var result = await _dir.Weft().RunAsync("pools", "set", name, slots);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("weft: error: ", result.StderrLines[0]);
    }
}
