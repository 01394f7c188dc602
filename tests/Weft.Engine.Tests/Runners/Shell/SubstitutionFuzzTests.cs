using System.Collections.Immutable;
using System.Text;
using Weft.Core.Dags;
using Weft.Engine.Runners;
using Weft.Engine.Runners.Script;
using Weft.Engine.Runners.Shell;
using Xunit.Abstractions;

namespace Weft.Engine.Tests.Runners.Shell;

/// <summary>
/// Hostile values × every bash context × both sources (parameters and upstream outputs), run through the shell
/// runner and bash for real: each value must arrive exactly, and the canary file that every value tries to create
/// must never appear. The cases run in batches, one bash process per batch of values.
/// </summary>
public sealed class SubstitutionFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const string CanaryToken = "CANARY";
    private const int ValuesPerProcess = 12;

    private readonly AttemptFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private string Canary => Path.Combine(_fx.Root, "canary");

    /// <summary>Values built to escape a quote, run a command, end a here-document or be evaluated as arithmetic.</summary>
    private static readonly string[] Values =
    [
        "plain", "", " ", "two  words ", "a'b", "a\"b", "'\"", "\"'", "$(touch CANARY)", "`touch CANARY`",
        "; touch CANARY", "&& touch CANARY", "| touch CANARY", "\"; touch CANARY; \"", "'; touch CANARY; '",
        "\"$(touch CANARY)\"", "'$(touch CANARY)'", "x\ntouch CANARY\n", "\ntouch CANARY", "${IFS}touch${IFS}CANARY",
        "$IFS", "EOF", "EOF\ntouch CANARY\nEOF", "\tEOF\ntouch CANARY", "EOF\n", "$((1+1))", "a[$(touch CANARY)]",
        "$((a[$(touch CANARY)]))", "x[$(touch CANARY)]", "\\", "\\\\", "\\\"", "\\'", "\\$(touch CANARY)",
        "\\`touch CANARY\\`", "\\\ntouch CANARY", "*", "?", "[a]", "~", "~root", "!", "!!", "-n", "-e", "--", "#", "# x",
        "$HOME", "${HOME}", "$'\\x41'", "}", "{", ")", "(", "{a,b}", ">CANARY", "<CANARY", "2>&1", "\r\n", "line1\nline2\n",
        "\n\n", "é ünïcødé ✓", "$@", "$*", "$0", "%s%n", "-", "=", "a=b", "$(< /etc/passwd)", "${x:-$(touch CANARY)}",
    ];

    /// <summary>Bash contexts: {X} is the expression, {O} the file it must write, and the value's expected text.</summary>
    private static readonly (string Name, string Command, Func<string, string> Expected)[] Contexts =
    [
        ("unquoted", "printf '%s' {X} > {O}", v => v),
        ("double quotes", "printf '%s' \"{X}\" > {O}", v => v),
        ("double quotes with text", "printf '%s' \"pre {X} post\" > {O}", v => $"pre {v} post"),
        ("assignment", "a={X}; printf '%s' \"$a\" > {O}", v => v),
        ("export", "export b={X}; printf '%s' \"$b\" > {O}", v => v),
        ("local in a function", "f() { local c={X}; printf '%s' \"$c\" > {O}; }; f", v => v),
        ("function argument", "g() { printf '%s' \"$1\" > {O}; }; g {X}", v => v),
        ("$( ) unquoted", "r=$(printf '%s.' {X}); printf '%s' \"${r%.}\" > {O}", v => v),
        ("$( ) in double quotes", "r=\"$(printf '%s.' {X})\"; printf '%s' \"${r%.}\" > {O}", v => v),
        ("double quotes in $( ) in double quotes", "r=\"$(printf '%s.' \"{X}\")\"; printf '%s' \"${r%.}\" > {O}", v => v),
        ("nested $( )", "r=\"$(printf '%s' \"$(printf '%s.' {X})\")\"; printf '%s' \"${r%.}\" > {O}", v => v),
        ("backticks", "r=`printf '%s.' {X}`; printf '%s' \"${r%.}\" > {O}", v => v),
        ("backticks in double quotes", "r=\"`printf '%s.' \\\"{X}\\\"`\"; printf '%s' \"${r%.}\" > {O}", v => v),
        ("backticks in $( )", "r=\"$(printf '%s' \"`printf '%s.' {X}`\")\"; printf '%s' \"${r%.}\" > {O}", v => v),
        ("nested backticks", "r=`printf '%s' \"\\`printf '%s.' {X}\\`\"`; printf '%s' \"${r%.}\" > {O}", v => v),
        ("here-document", "cat > {O} <<EOF\n{X}\nEOF", v => v + "\n"),
        ("here-document <<-", "cat > {O} <<-EOF\n\t{X}\n\tEOF", v => v + "\n"),
        ("$( ) in a here-document", "cat > {O} <<EOF\n$(printf '%s' {X})\nEOF", v => v.TrimEnd('\n') + "\n"),
        ("here-string", "cat > {O} <<< {X}", v => v + "\n"),
        ("[ ]", "if [ {X} = \"{X}\" ]; then printf '%s' {X} > {O}; fi", v => v),
        ("[[ ]]", "if [[ {X} == {X} ]]; then printf '%s' {X} > {O}; fi", v => v),
        ("${:-} unquoted", "printf '%s' ${UNSET_Q:-{X}} > {O}", v => v),
        ("${:-} in double quotes", "printf '%s' \"${UNSET_Q:-{X}}\" > {O}", v => v),
        ("${#} pattern", "d={X}z; printf '%s' \"${d#{X}}\" > {O}", _ => "z"),
        ("case", "case {X} in *) printf '%s' {X} > {O} ;; esac", v => v),
        ("for", "for w in {X}; do printf '%s' \"$w\" > {O}; done", v => v),
        ("pipe", "printf '%s' {X} | cat > {O}", v => v),
        ("subshell", "( printf '%s' {X} > {O} )", v => v),
        ("group", "{ printf '%s' {X} > {O}; }", v => v),
        ("process substitution", "cat <(printf '%s' {X}) > {O}", v => v),
        ("comment", "# {X}\nprintf ok > {O}", _ => "ok"),
    ];

    public static TheoryData<string, string> Sources() => new()
    {
        { "params", $"{Contexts.Length} contexts x {Values.Length} values = {Contexts.Length * Values.Length} cases" },
        { "outputs", $"{Contexts.Length} contexts x {Values.Length} values = {Contexts.Length * Values.Length} cases" },
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task ShellCommand_HostileValues_ArriveExactlyAndRunNothing(string source, string cases)
    {
        var values = Values.Select(v => v.Replace(CanaryToken, Canary, StringComparison.Ordinal)).ToArray();
        var outDir = Directory.CreateDirectory(Path.Combine(_fx.TmpDir, "f")).FullName;
        // One bash process per batch of values: a command must stay under the 128 KiB a single argument may hold.
        var processes = 0;
        foreach (var batch in Enumerable.Range(0, values.Length).Chunk(ValuesPerProcess))
        {
            var command = new StringBuilder("set +e\n");
            foreach (var v in batch)
            {
                var expression = Expression(source, v, values[v]);
                for (var c = 0; c < Contexts.Length; c++)
                {
                    command.Append(Contexts[c].Command.Replace("{X}", expression, StringComparison.Ordinal)
                        .Replace("{O}", $"\"$WEFT_TMP/f/{v}_{c}\"", StringComparison.Ordinal)).Append('\n');
                }
            }

            command.Append("true\n");
            var result = await new ShellTaskRunner().RunAsync(_fx.Context(AttemptFixture.Shell(command.ToString())), CancellationToken.None);
            Assert.True(result.Outcome == TaskOutcome.Success, $"{result.Reason}\n{_fx.LogText()}");
            processes++;
        }

        var wrong = new List<string>();
        for (var v = 0; v < values.Length; v++)
        {
            for (var c = 0; c < Contexts.Length; c++)
            {
                var file = Path.Combine(outDir, $"{v}_{c}");
                var expected = Contexts[c].Expected(values[v]);
                var actual = File.Exists(file) ? File.ReadAllText(file) : "(no file)";
                if (actual != expected)
                {
                    wrong.Add($"{Contexts[c].Name} with {Show(values[v])}: got {Show(actual)}");
                }
            }
        }

        output.WriteLine($"{source}: {cases} through {processes} bash processes; {wrong.Count} wrong");
        Assert.False(File.Exists(Canary), "a value ran as a command: the canary file exists");
        Assert.True(wrong.Count == 0, string.Join('\n', wrong.Take(40)) + $"\n{_fx.LogText()}");
    }

    public static TheoryData<string, string> ScriptSources() => new()
    {
        { "params", $"2 contexts (args, env) x {Values.Length} values = {2 * Values.Length} cases" },
        { "outputs", $"2 contexts (args, env) x {Values.Length} values = {2 * Values.Length} cases" },
    };

    [Theory]
    [MemberData(nameof(ScriptSources))]
    public async Task ScriptArgsAndEnv_HostileValues_ArriveExactly(string source, string cases)
    {
        var values = Values.Select(v => v.Replace(CanaryToken, Canary, StringComparison.Ordinal)).ToArray();
        _fx.WriteFile("tasks/show.sh", "i=0\nfor a in \"$@\"; do printf '%s' \"$a\" > \"$WEFT_TMP/a$i\"; n=\"E$i\"; printf '%s' \"${!n}\" > \"$WEFT_TMP/e$i\"; i=$((i+1)); done\n");
        var task = new TaskDefinition
        {
            Id = "t",
            Type = TaskType.Script,
            Script = "show.sh",
            Args = [.. values.Select((v, i) => Expression(source, i, v))],
            Env = values.Select((v, i) => (Name: $"E{i}", Value: Expression(source, i, v))).ToDictionary(x => x.Name, x => x.Value).ToImmutableDictionary(),
        };

        var result = await new ScriptTaskRunner().RunAsync(_fx.Context(task), CancellationToken.None);

        Assert.True(result.Outcome == TaskOutcome.Success, $"{result.Reason}\n{_fx.LogText()}");
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(values[i], File.ReadAllText(Path.Combine(_fx.TmpDir, $"a{i}")));
            Assert.Equal(values[i], File.ReadAllText(Path.Combine(_fx.TmpDir, $"e{i}")));
        }

        output.WriteLine($"{source}: {cases}");
        Assert.False(File.Exists(Canary));
    }

    [Theory]
    [InlineData("printf '%s' 'x {X}' > \"$WEFT_TMP/o\"")]
    [InlineData("echo $(( {X} + 1 )) > \"$WEFT_TMP/o\"")]
    [InlineData("(( n = {X} )); echo $n")]
    [InlineData("[[ {X} -eq 1 ]] && echo one")]
    [InlineData("cat <<'EOF'\n{X}\nEOF")]
    public async Task ShellCommand_UnsafePlace_FailsWithoutRunning(string template)
    {
        _fx.SetParam("v", $"a[$(touch {Canary})]");

        var result = await new ShellTaskRunner().RunAsync(
            _fx.Context(AttemptFixture.Shell(template.Replace("{X}", "${{ params.v }}", StringComparison.Ordinal))), CancellationToken.None);

        Assert.Equal(TaskOutcome.Failed, result.Outcome);
        Assert.Contains("${{ params.v }}", result.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(Canary));
        Assert.False(File.Exists(Path.Combine(_fx.TmpDir, "o")));
    }

    [Fact]
    public async Task ShellCommand_ValueWithNul_FailsWithoutRunning()
    {
        _fx.SetParam("v", $"a\0b");

        var result = await new ShellTaskRunner().RunAsync(_fx.Context(AttemptFixture.Shell("touch \"$WEFT_TMP/o\" ${{ params.v }}")), CancellationToken.None);

        Assert.Equal(TaskOutcome.Failed, result.Outcome);
        Assert.Contains("NUL", result.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_fx.TmpDir, "o")));
    }

    private string Expression(string source, int index, string value)
    {
        if (source == "params")
        {
            _fx.SetParam($"v{index}", value);
            return $"${{{{ params.v{index} }}}}";
        }

        if (!_fx.Outputs.TryGetValue("up", out var outputs))
        {
            _fx.Outputs["up"] = outputs = new Dictionary<string, string>();
        }

        ((Dictionary<string, string>)outputs)[$"v{index}"] = value;
        return $"${{{{ tasks.up.outputs.v{index} }}}}";
    }

    private static string Show(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace("\t", "\\t", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal) + "\"";
}
