using System.Text.Json;

namespace Weft.Cli.Tests.Commands;

/// <summary><c>weft tokens create|list|revoke</c> through the real binary, in an empty folder (default database).</summary>
public sealed class TokensCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    [Fact]
    public async Task CreateListRevoke_Json_ShowsTheTokenOnce_AndMarksItRevoked()
    {
        var weft = _dir.Weft();
        var created = await weft.RunAsync("tokens", "create", "--name", "ci", "--role", "operator", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        var json = JsonDocument.Parse(created.Stdout).RootElement;
        Assert.Equal("ci", json.GetProperty("name").GetString());
        Assert.Equal("operator", json.GetProperty("role").GetString());
        var token = json.GetProperty("token").GetString()!;
        Assert.StartsWith("weft_", token, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir.Path, ".weft", "weft.db")));

        var list = await weft.RunAsync("tokens", "list", "--json");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.DoesNotContain(token, list.Stdout, StringComparison.Ordinal);
        var row = Assert.Single(JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray());
        Assert.Equal("ci", row.GetProperty("name").GetString());
        Assert.Equal("operator", row.GetProperty("role").GetString());
        Assert.EndsWith("Z", row.GetProperty("created_at").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("revoked_at").ValueKind);

        var revoked = await weft.RunAsync("tokens", "revoke", "ci");
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        row = Assert.Single(JsonDocument.Parse((await weft.RunAsync("tokens", "list", "--json")).Stdout).RootElement.EnumerateArray());
        Assert.Equal(JsonValueKind.String, row.GetProperty("revoked_at").ValueKind);

        var again = await weft.RunAsync("tokens", "revoke", "ci");
        Assert.True(again.ExitCode == 1, again.ToString());
        Assert.Contains("weft: error: no active token 'ci'", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_PlainOutput_IsTheTokenAlone_NamesAreNotReused_RolesAreChecked()
    {
        var weft = _dir.Weft();
        var created = await weft.RunAsync("tokens", "create", "--name", "viewer1", "--role", "viewer");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Matches("^weft_[A-Za-z0-9_-]{43}$", Assert.Single(created.StdoutLines));
        Assert.Contains("shown only now", created.Stderr, StringComparison.Ordinal);

        var duplicate = await weft.RunAsync("tokens", "create", "--name", "viewer1", "--role", "admin");
        Assert.True(duplicate.ExitCode == 2, duplicate.ToString());
        Assert.Contains("exists", duplicate.Stderr, StringComparison.Ordinal);
        // What the hint says holds: after a revoke the name is still taken.
        Assert.Contains("a name stays taken after its token is revoked", duplicate.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, (await weft.RunAsync("tokens", "revoke", "viewer1")).ExitCode);
        var reused = await weft.RunAsync("tokens", "create", "--name", "viewer1", "--role", "viewer");
        Assert.True(reused.ExitCode == 2, reused.ToString());
        Assert.Contains("a name stays taken after its token is revoked", reused.Stderr, StringComparison.Ordinal);

        var badRole = await weft.RunAsync("tokens", "create", "--name", "x", "--role", "root");
        Assert.True(badRole.ExitCode == 2, badRole.ToString());
        var badName = await weft.RunAsync("tokens", "create", "--name", "../x", "--role", "viewer");
        Assert.True(badName.ExitCode == 2, badName.ToString());
    }

    public void Dispose() => _dir.Dispose();
}
