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
