using System.Diagnostics;
using Weft.Core.Templating;

namespace Weft.Core.Tests.Templating;

public class TemplateTests
{
    private const string Evil = "x'; rm -rf / \"$(id)\" `id` $HOME \\ end";

    [Fact]
    public void TryParse_FindsReferencesWithOffsets()
    {
        Assert.True(Template.TryParse("a ${{ params.date }} b ${{tasks.ex.tract.outputs.rows}}", out var t, out _, out _));

        Assert.Equal(2, t!.References.Length);
        Assert.Equal(("params", "date", 2), (t.References[0].Root, t.References[0].Path[0], t.References[0].Offset));
        Assert.Equal<string>(["ex.tract", "outputs", "rows"], t.References[1].Path);
    }

    [Theory]
    [InlineData("echo ${{ params.date", "unclosed", 5)]
    [InlineData("echo ${{ }}", "empty", 5)]
    [InlineData("x ${{ params.a b }}", "invalid character", 2)]
    [InlineData("${{ tasks..state }}", "empty name", 0)]
    public void TryParse_Malformed_GivesMessageAndOffset(string text, string words, int offset)
    {
        Assert.False(Template.TryParse(text, out _, out var error, out var at));
        Assert.Contains(words, error, StringComparison.Ordinal);
        Assert.Equal(offset, at);
    }

    [Fact]
    public void Render_WithoutQuoting_SubstitutesValues()
    {
        var t = Template.Parse("https://x/${{ params.a }}?d=${{ run.id }}");
        Assert.Equal("https://x/1?d=r", t.Render(r => r.Root == "params" ? "1" : "r"));
    }

    [Theory]
    [InlineData("printf %s ${{ params.v }}")]
    [InlineData("printf %s \"${{ params.v }}\"")]
    [InlineData("printf %s '${{ params.v }}'")]
    [InlineData("printf %s \"pre ${{ params.v }} post\"")]
    [InlineData("printf %s 'pre ${{ params.v }} post'")]
    public void Render_ShellQuoted_ValueStaysOneWordInEveryQuoteContext(string command)
    {
        var t = Template.Parse(command);
        var rendered = t.Render(_ => Evil, shellQuote: true);

        var output = RunBash(rendered);

        var expected = command.Contains("pre ", StringComparison.Ordinal) ? $"pre {Evil} post" : Evil;
        Assert.Equal(expected, output);
    }

    [Fact]
    public void Render_ShellQuoted_TwoValuesAreTwoWords()
    {
        var t = Template.Parse("printf '[%s]' ${{ params.a }} ${{ params.b }}");
        var rendered = t.Render(r => r.Path[0] == "a" ? "a b; echo pwned" : "", shellQuote: true);

        Assert.Equal("[a b; echo pwned][]", RunBash(rendered));
    }

    private static string RunBash(string command)
    {
        var psi = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-eo");
        psi.ArgumentList.Add("pipefail");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(command);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"bash failed ({p.ExitCode}): {error}\ncommand: {command}");
        return output;
    }
}
