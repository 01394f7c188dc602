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
    [InlineData("printf %s \"pre ${{ params.v }} post\"")]
    [InlineData("printf %s \"$(printf %s ${{ params.v }})\"")]
    [InlineData("printf %s \"`printf %s ${{ params.v }}`\"")]
    public void RenderShell_ValueArrivesExactlyInEveryQuoteContext(string command)
    {
        var t = Template.Parse(command);
        var values = new Dictionary<string, string>();
        var rendered = t.RenderShell(_ => Evil, values);

        var output = RunBash(rendered, values);

        var expected = command.Contains("pre ", StringComparison.Ordinal) ? $"pre {Evil} post" : Evil;
        Assert.Equal(expected, output);
        Assert.DoesNotContain(Evil, rendered, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("printf %s '${{ params.v }}'", "single quotes")]
    [InlineData("printf %s $'${{ params.v }}'", "$'…'")]
    [InlineData("echo $(( ${{ params.v }} + 1 ))", "arithmetic")]
    [InlineData("(( n = ${{ params.v }} ))", "arithmetic")]
    [InlineData("let n=${{ params.v }}", "arithmetic")]
    [InlineData("a[${{ params.v }}]=1", "arithmetic")]
    [InlineData("[[ ${{ params.v }} -eq 1 ]]", "arithmetic")]
    [InlineData("echo $${{ params.v }}", "variable name")]
    [InlineData("echo ${${{ params.v }}}", "variable name")]
    [InlineData("echo \\${{ params.v }}", "backslash")]
    [InlineData("cat <<'EOF'\n${{ params.v }}\nEOF", "delimiter is quoted")]
    [InlineData("cat <<${{ params.v }}\nx\n", "delimiter")]
    public void ShellPlacements_UnsafePlace_IsRefusedWithAMessage(string command, string words)
    {
        var t = Template.Parse(command);

        var placement = Assert.Single(t.ShellPlacements);
        Assert.Equal(ShellPlacementKind.Refused, placement.Kind);
        Assert.Contains(words, placement.Problem, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => t.RenderShell(_ => "1", new Dictionary<string, string>()));
    }

    [Fact]
    public void RenderShell_TwoValuesAreTwoWords()
    {
        var t = Template.Parse("printf '[%s]' ${{ params.a }} ${{ params.b }}");
        var values = new Dictionary<string, string>();
        var rendered = t.RenderShell(r => r.Path[0] == "a" ? "a b; echo pwned" : "", values);

        Assert.Equal("[a b; echo pwned][]", RunBash(rendered, values));
    }

    private static string RunBash(string command, Dictionary<string, string> environment)
    {
        var psi = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            psi.Environment[name] = value;
        }

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
