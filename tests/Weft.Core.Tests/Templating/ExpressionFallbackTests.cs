using Weft.Core.Templating;
using static Weft.Core.Tests.Definitions.TestFiles;

namespace Weft.Core.Tests.Templating;

public class ExpressionFallbackTests
{
    [Theory]
    [InlineData("tasks.a.outputs.k || 'none'", "k", "none")]
    [InlineData("tasks.a.outputs.k||\"n/a\"", "k", "n/a")]
    [InlineData("tasks.a.outputs.k || 0", "k", "0")]
    [InlineData("tasks.a.outputs.payload.items[0].id", "payload.items[0].id", null)]
    public void TryParse_OutputPathAndFallback_AreRead(string inner, string key, string? fallback)
    {
        Assert.True(ExpressionParser.TryParse(inner, 0, out var reference, out var error), error);

        Assert.Equal(["a", "outputs", key], reference!.Path.ToArray());
        Assert.Equal(fallback, reference.Fallback);
    }

    [Theory]
    [InlineData("tasks.a.outputs.k || none of this", "invalid fallback")]
    [InlineData("|| 'x'", "nothing before")]
    [InlineData("tasks.a.outputs.items[x]", "invalid index")]
    [InlineData("tasks.a.outputs.items[0", "invalid index")]
    [InlineData("params.list[0]", "invalid index")]
    public void TryParse_BadFallbackOrIndex_IsRefused(string inner, string words)
    {
        Assert.False(ExpressionParser.TryParse(inner, 0, out _, out var error));
        Assert.Contains(words, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NavigationIntoAnUpstreamOutput_Validates()
    {
        var r = Yaml("""
            id: a
            tasks:
              - id: fetch
                url: http://127.0.0.1:1/x
              - id: use
                depends_on: [fetch]
                command: echo ${{ tasks.fetch.outputs.json.city }} ${{ tasks.fetch.outputs.json.items[0].id || 'none' }}
            """);

        Assert.False(r.HasErrors, Dump(r));
    }
}
