using Weft.Engine.Runners.Shell;

namespace Weft.Engine.Tests.Runners.Shell;

public sealed class PlainCommandTests
{
    [Theory]
    [InlineData("true", new[] { "true" })]
    [InlineData("  python3  etl.py --day=2024-01-01\t-v ", new[] { "python3", "etl.py", "--day=2024-01-01", "-v" })]
    [InlineData("./bin/run a,b x+y user@host:8080 50%", new[] { "./bin/run", "a,b", "x+y", "user@host:8080", "50%" })]
    [InlineData("echo hello", new[] { "echo", "hello" })]
    public void TryGetWords_PlainWords_AreSplit(string command, string[] expected)
    {
        Assert.True(PlainCommand.TryGetWords(command, out var words));
        Assert.Equal(expected, words);
    }

    [Theory]
    [InlineData("echo 'a b'")]
    [InlineData("echo \"a\"")]
    [InlineData("echo $HOME")]
    [InlineData("echo a\\ b")]
    [InlineData("a; b")]
    [InlineData("a | b")]
    [InlineData("a && b")]
    [InlineData("a > out")]
    [InlineData("a < in")]
    [InlineData("(a)")]
    [InlineData("ls *.txt")]
    [InlineData("ls file?")]
    [InlineData("ls [ab]")]
    [InlineData("ls ~/x")]
    [InlineData("echo a # comment")]
    [InlineData("echo `date`")]
    [InlineData("echo {a,b}")]
    [InlineData("a\nb")]
    [InlineData("! a")]
    [InlineData("A=1 env")]
    [InlineData("cd /tmp")]
    [InlineData("exit 3")]
    [InlineData("export A")]
    [InlineData("source x.sh")]
    [InlineData(". x.sh")]
    [InlineData("if")]
    [InlineData("for")]
    [InlineData("pwd")]
    [InlineData("kill 1")]
    [InlineData("true --help")]
    [InlineData("echo --version")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("grüß")]
    public void TryGetWords_ShellSyntaxOrBuiltins_NeedBash(string command)
    {
        Assert.False(PlainCommand.TryGetWords(command, out _));
    }
}
