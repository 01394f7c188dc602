using System.Text;
using Weft.Engine.Runners.Processes.Native;

namespace Weft.Engine.Tests.Runners.Processes.Native;

public sealed class LineSplitterTests
{
    [Theory]
    [InlineData("a\nb\n", new[] { "a", "b" })]
    [InlineData("a\r\nb\rc", new[] { "a", "b", "c" })]
    [InlineData("\n\n", new[] { "", "" })]
    [InlineData("no end", new[] { "no end" })]
    [InlineData("\uFEFFbom\n\uFEFFkept\n", new[] { "bom", "\uFEFFkept" })]
    [InlineData("", new string[0])]
    public void Write_AnySplitOfTheBytes_GivesReadLinesLines(string text, string[] expected)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        // Every cut point, so that \r\n, a BOM and multi-byte characters are split across chunks too.
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var log = new MemoryLog();
            var splitter = new LineSplitter("stdout", log);
            splitter.Write(bytes.AsSpan(0, cut));
            splitter.Write(bytes.AsSpan(cut));
            splitter.Complete();

            Assert.Equal(expected, log.Stream("stdout"));
            Assert.Equal(ReadLines(bytes), log.Stream("stdout"));
        }
    }

    [Fact]
    public void Write_MultiByteAndInvalidUtf8_DecodesWithReplacement()
    {
        var log = new MemoryLog();
        var splitter = new LineSplitter("stderr", log);
        byte[] bytes = [.. "é€😀 "u8, 0xFF, (byte)'\n'];
        foreach (var b in bytes)
        {
            splitter.Write([b]);
        }

        splitter.Complete();

        Assert.Equal(["é€😀 \uFFFD"], log.Stream("stderr"));
    }

    [Fact]
    public void Write_LongLineAcrossManyChunks_IsOneLine()
    {
        var log = new MemoryLog();
        var splitter = new LineSplitter("stdout", log);
        var line = new string('x', 100_000);
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        for (var i = 0; i < bytes.Length; i += 4096)
        {
            splitter.Write(bytes.AsSpan(i, Math.Min(4096, bytes.Length - i)));
        }

        Assert.Equal([line], log.Stream("stdout"));
    }

    private static List<string> ReadLines(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }
}
