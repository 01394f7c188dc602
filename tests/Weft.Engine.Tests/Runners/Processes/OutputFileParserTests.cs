using Weft.Engine.Runners.Processes;

namespace Weft.Engine.Tests.Runners.Processes;

public sealed class OutputFileParserTests
{
    [Fact]
    public void Parse_KeyValueLines_ReadsEach()
    {
        var (outputs, problems) = OutputFileParser.Parse("rows=42\npath=/a=b\nempty=\n");

        Assert.Equal("42", outputs["rows"]);
        Assert.Equal("/a=b", outputs["path"]);
        Assert.Equal("", outputs["empty"]);
        Assert.Empty(problems);
    }

    [Fact]
    public void Parse_Heredoc_KeepsInnerLines()
    {
        var (outputs, problems) = OutputFileParser.Parse("notes<<EOF\nline one\n\nline=three\nEOF\nafter=1\n");

        Assert.Equal("line one\n\nline=three", outputs["notes"]);
        Assert.Equal("1", outputs["after"]);
        Assert.Empty(problems);
    }

    [Fact]
    public void Parse_SameKeyTwice_LaterWins()
    {
        var (outputs, _) = OutputFileParser.Parse("a=1\na<<X\n2\nX\n");

        Assert.Equal("2", outputs["a"]);
    }

    [Fact]
    public void Parse_CrLfLines_AreTrimmed()
    {
        var (outputs, _) = OutputFileParser.Parse("a=1\r\nb<<E\r\nx\r\nE\r\n");

        Assert.Equal("1", outputs["a"]);
        Assert.Equal("x", outputs["b"]);
    }

    [Fact]
    public void Parse_EqualsBeforeMarker_IsPlainValue()
    {
        var (outputs, _) = OutputFileParser.Parse("a=x<<y\n");

        Assert.Equal("x<<y", outputs["a"]);
    }

    [Fact]
    public void Parse_UnclosedHeredoc_ReportsAndDropsIt()
    {
        var (outputs, problems) = OutputFileParser.Parse("a=1\nb<<EOF\nnever closed\n");

        Assert.Equal("1", outputs["a"]);
        Assert.False(outputs.ContainsKey("b"));
        Assert.Contains("EOF", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LineWithoutMarker_IsReported()
    {
        var (outputs, problems) = OutputFileParser.Parse("just text\nok=1\n");

        Assert.Equal("1", Assert.Single(outputs).Value);
        Assert.Single(problems);
    }

    [Fact]
    public void Parse_LastLineWithoutNewline_IsRead()
    {
        var (outputs, _) = OutputFileParser.Parse("a=1");

        Assert.Equal("1", outputs["a"]);
    }
}
