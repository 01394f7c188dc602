using System.Text.Json;

namespace Weft.Cli.Tests.Commands;

/// <summary><c>weft secrets set|list|delete</c> through the real binary, in an empty folder (default database and home).</summary>
public sealed class SecretsCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    [Fact]
    public async Task SetFromStdinAndValue_List_Delete_NeverShowsValues()
    {
        var weft = _dir.Weft();
        var fromStdin = await weft.RunAsync(["secrets", "set", "api_key"], "stdin-value-1\n");
        Assert.True(fromStdin.ExitCode == 0, fromStdin.ToString());
        var fromOption = await weft.RunAsync("secrets", "set", "db.password", "--value", "option-value-2");
        Assert.True(fromOption.ExitCode == 0, fromOption.ToString());

        var list = await weft.RunAsync("secrets", "list", "--json");
        Assert.True(list.ExitCode == 0, list.ToString());
        var names = JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Equal(["api_key", "db.password"], names);
        Assert.EndsWith("Z", JsonDocument.Parse(list.Stdout).RootElement[0].GetProperty("updated_at").GetString(), StringComparison.Ordinal);
        var plain = await weft.RunAsync("secrets", "list");
        foreach (var output in new[] { list.Stdout, plain.Stdout, fromStdin.Stdout + fromStdin.Stderr, fromOption.Stdout + fromOption.Stderr })
        {
            Assert.DoesNotContain("stdin-value-1", output, StringComparison.Ordinal);
            Assert.DoesNotContain("option-value-2", output, StringComparison.Ordinal);
        }

        // Encrypted at rest with a key only the owner can read.
        var key = Path.Combine(_dir.Path, ".weft", "secrets.key");
        Assert.Equal(32, new FileInfo(key).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }

        var database = await File.ReadAllBytesAsync(Path.Combine(_dir.Path, ".weft", "weft.db"));
        Assert.DoesNotContain("stdin-value-1", System.Text.Encoding.UTF8.GetString(database), StringComparison.Ordinal);

        var deleted = await weft.RunAsync("secrets", "delete", "api_key");
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        var again = await weft.RunAsync("secrets", "delete", "api_key");
        Assert.True(again.ExitCode == 1, again.ToString());
        Assert.Contains("weft: error: no secret 'api_key'", again.Stderr, StringComparison.Ordinal);
        names = JsonDocument.Parse((await weft.RunAsync("secrets", "list", "--json")).Stdout).RootElement.EnumerateArray()
            .Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Equal(["db.password"], names);
    }

    [Fact]
    public async Task Run_UsesSecretSetInTheSameFolder_MaskedEverywhereAndNeverInArgv()
    {
        const string Secret = "S3cret/Token+1";
        var weft = _dir.Weft();
        Directory.CreateDirectory(Path.Combine(_dir.Path, "dags"));
        await File.WriteAllTextAsync(Path.Combine(_dir.Path, "dags", "uses_secret.yaml"), """
            id: uses_secret
            tasks:
              - id: a
                command: |
                  test "${{ secrets.api_key }}" = "$(cat ../expected)"
                  tr '\0' ' ' < /proc/$$/cmdline > "$WEFT_TMP/argv"; cp "$WEFT_TMP/argv" ../argv
                  echo "plain ${{ secrets.api_key }} lower $(printf %s ${{ secrets.api_key }} | tr A-Z a-z) base64 $(printf %s ${{ secrets.api_key }} | base64)"
                  echo "key=${{ secrets.api_key }}" >> "$WEFT_OUTPUT"
                  echo "fails with ${{ secrets.api_key }}" >&2
                  exit 3
            """);
        Assert.Equal(0, (await weft.RunAsync(["secrets", "set", "api_key"], Secret + "\n")).ExitCode);
        await File.WriteAllTextAsync(Path.Combine(_dir.Path, "expected"), Secret);

        var run = await weft.RunAsync("run", "uses_secret");
        var runs = await weft.RunAsync("runs", "list", "--json");
        var runId = JsonDocument.Parse(runs.Stdout).RootElement.GetProperty("dag_runs")[0].GetProperty("run_id").GetString()!;
        var show = await weft.RunAsync("runs", "show", runId, "--json");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.True(File.Exists(Path.Combine(_dir.Path, "argv")), "the task did not reach its argv check: " + run);
        Assert.Contains("\"key\": \"***\"", show.Stdout, StringComparison.Ordinal);
        var logs = string.Concat(Directory.GetFiles(Path.Combine(_dir.Path, ".weft", "logs"), "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.Contains("plain *** lower *** base64 ***", logs, StringComparison.Ordinal);
        var database = System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(Path.Combine(_dir.Path, ".weft", "weft.db")));
        foreach (var (where, text) in new[] { ("run", run.Stdout + run.Stderr), ("runs show", show.Stdout), ("logs", logs), ("database", database), ("argv", await File.ReadAllTextAsync(Path.Combine(_dir.Path, "argv"))) })
        {
            foreach (var form in new[] { Secret, Secret.ToLowerInvariant(), Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Secret)) })
            {
                Assert.False(text.Contains(form, StringComparison.Ordinal), $"{where} holds the secret as '{form}'");
            }
        }

        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            Assert.Equal(owner | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(_dir.Path, ".weft")));
            Assert.Equal(owner, File.GetUnixFileMode(Path.Combine(_dir.Path, ".weft", "weft.db")));
        }
    }

    [Fact]
    public async Task SecretKeyFromEnvironment_NoKeyFile_AndAnotherKeyCannotRead()
    {
        var weft = _dir.Weft();
        weft.Environment["WEFT_SECRET_KEY"] = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)i).ToArray());
        Assert.Equal(0, (await weft.RunAsync("secrets", "set", "k", "--value", "v1")).ExitCode);
        Directory.CreateDirectory(Path.Combine(_dir.Path, "dags"));
        await File.WriteAllTextAsync(Path.Combine(_dir.Path, "dags", "k.yaml"), "id: k\ntasks:\n  - id: a\n    command: test \"${{ secrets.k }}\" = v1\n");

        var run = await weft.RunAsync("run", "k");
        weft.Environment["WEFT_SECRET_KEY"] = new string('a', 64);
        var wrongKey = await weft.RunAsync("run", "k");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.False(File.Exists(Path.Combine(_dir.Path, ".weft", "secrets.key")));
        Assert.NotEqual(0, wrongKey.ExitCode);
    }

    [Fact]
    public async Task Set_EmptyValueOrBadName_IsAUsageError()
    {
        var weft = _dir.Weft();
        var empty = await weft.RunAsync(["secrets", "set", "x"], "");
        Assert.True(empty.ExitCode == 2, empty.ToString());
        Assert.Contains("empty", empty.Stderr, StringComparison.Ordinal);
        var badName = await weft.RunAsync("secrets", "set", "../x", "--value", "v");
        Assert.True(badName.ExitCode == 2, badName.ToString());
    }

    public void Dispose() => _dir.Dispose();
}
