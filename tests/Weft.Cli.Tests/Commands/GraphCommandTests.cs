using System.Text.Json;

namespace Weft.Cli.Tests.Commands;

public sealed class GraphCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public GraphCommandTests() => _dir.Write("diamond.yaml", Dags.Diamond);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Graph_Mermaid_IsAFlowchartWithEveryEdge()
    {
        var result = await _dir.Weft().RunAsync("graph", "diamond.yaml", "--format", "mermaid");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("flowchart TD", result.StdoutLines[0]);
        foreach (var edge in new[] { "a --> b", "a --> c", "b --> d", "c --> d" })
        {
            Assert.Contains($"    {edge}", result.StdoutLines);
        }

        Assert.Contains("    d[\"d\"]", result.StdoutLines);
    }

    [Fact]
    public async Task Graph_Mermaid_AwkwardIdsGetSafeNodesAndKeepTheirLabels()
    {
        _dir.Write("odd.yaml", """
            id: odd
            tasks:
              - id: my-task.v2
              - id: end
                depends_on: [my-task.v2]
            """);

        var result = await _dir.Weft().RunAsync("graph", "odd.yaml", "-f", "mermaid");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("    _0[\"my-task.v2\"]", result.StdoutLines);
        Assert.Contains("    _1[\"end\"]", result.StdoutLines);
        Assert.Contains("    _0 --> _1", result.StdoutLines);
    }

    [Fact]
    public async Task Graph_Dot_IsADigraphWithEveryEdge()
    {
        var result = await _dir.Weft().RunAsync("graph", "diamond.yaml", "--format", "dot");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("digraph \"diamond\" {", result.StdoutLines[0]);
        Assert.Equal("}", result.StdoutLines[^1]);
        foreach (var edge in new[] { "\"a\" -> \"b\";", "\"a\" -> \"c\";", "\"b\" -> \"d\";", "\"c\" -> \"d\";" })
        {
            Assert.Contains($"    {edge}", result.StdoutLines);
        }
    }

    [Fact]
    public async Task Graph_DefaultAscii_ShowsLayersAndUpstreams()
    {
        var result = await _dir.Weft().RunAsync("graph", "diamond.yaml");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("diamond (4 tasks, 4 edges)", result.StdoutLines[0]);
        Assert.Contains("layer 3", result.StdoutLines);
        Assert.Contains("  d  <- b, c", result.StdoutLines);
        Assert.Contains("  a", result.StdoutLines);
    }

    [Fact]
    public async Task Graph_Json_HasNodesAndEdges()
    {
        var result = await _dir.Weft().RunAsync("graph", "diamond.yaml", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var nodes = json.RootElement.GetProperty("nodes");
        var edges = json.RootElement.GetProperty("edges");
        Assert.Equal(4, nodes.GetArrayLength());
        Assert.Equal("shell", nodes[0].GetProperty("type").GetString());
        Assert.Equal(1, nodes[0].GetProperty("layer").GetInt32());
        Assert.Equal(4, edges.GetArrayLength());
        Assert.Contains(edges.EnumerateArray(), e => e.GetProperty("from").GetString() == "c" && e.GetProperty("to").GetString() == "d");
    }

    [Fact]
    public async Task Graph_UnknownFormat_ExitsTwo()
    {
        var result = await _dir.Weft().RunAsync("graph", "diamond.yaml", "--format", "png");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("weft: error: --format must be mermaid, dot or ascii, not 'png'", result.StderrLines[0]);
    }
}
