using Weft.Engine.Storage;

namespace Weft.Storage.Tests;

public abstract partial class StateStoreContract
{
    private IAccessStore Access => Assert.IsAssignableFrom<IAccessStore>(Store);

    [StoreFact]
    public async Task Tokens_CreateOncePerName_RevokeOnce_TouchRecordsUse()
    {
        var admin = new TokenRecord("admin", "admin", new string('a', 64), T0, null, null);
        var ci = new TokenRecord("ci", "operator", new string('b', 64), T0.AddSeconds(1), null, null);
        Assert.True(await Access.CreateTokenAsync(ci, Ct));
        Assert.True(await Access.CreateTokenAsync(admin, Ct));
        Assert.False(await Access.CreateTokenAsync(admin with { Hash = new string('c', 64) }, Ct));

        Assert.Equal([admin, ci], await Access.ListTokensAsync(Ct));
        await Access.TouchTokenAsync("ci", T0.AddMinutes(1), Ct);
        Assert.True(await Access.RevokeTokenAsync("admin", T0.AddMinutes(2), Ct));
        Assert.False(await Access.RevokeTokenAsync("admin", T0.AddMinutes(3), Ct));
        Assert.False(await Access.RevokeTokenAsync("nobody", T0, Ct));

        Assert.Equal([ci with { LastUsedAt = T0.AddMinutes(1) }], await Access.ListActiveTokensAsync(Ct));
        Assert.Equal(admin with { RevokedAt = T0.AddMinutes(2) }, (await Access.ListTokensAsync(Ct))[0]);
        Assert.False(await Access.CreateTokenAsync(admin, Ct));
    }

    [StoreFact]
    public async Task Secrets_SetReplacesByName_BytesRoundTrip_DeleteOnce()
    {
        byte[] nonce = [0, 1, 2, 255, 254, 0, 7, 8, 9, 10, 11, 12];
        var db = new SecretRecord("db", nonce, [0, 0, 1, 128, 255], T0);
        var api = new SecretRecord("api", [1, 2, 3], [4, 5, 6], T0);
        await Access.SetSecretAsync(db, Ct);
        await Access.SetSecretAsync(api, Ct);
        var replaced = new SecretRecord("db", [9, 9, 9], [8, 8], T0.AddHours(1));
        await Access.SetSecretAsync(replaced, Ct);

        AssertSecret(replaced, await Access.GetSecretAsync("db", Ct));
        Assert.Null(await Access.GetSecretAsync("missing", Ct));
        var all = await Access.ListSecretsAsync(Ct);
        Assert.Equal(["api", "db"], all.Select(s => s.Name));
        AssertSecret(api, all[0]);

        Assert.True(await Access.DeleteSecretAsync("db", Ct));
        Assert.False(await Access.DeleteSecretAsync("db", Ct));
        Assert.Equal(["api"], (await Access.ListSecretsAsync(Ct)).Select(s => s.Name));
    }

    /// <summary>Records hold byte arrays, which compare by reference; compare them by content.</summary>
    private static void AssertSecret(SecretRecord expected, SecretRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal((expected.Name, expected.UpdatedAt), (actual.Name, actual.UpdatedAt));
        Assert.Equal(expected.Nonce, actual.Nonce);
        Assert.Equal(expected.Ciphertext, actual.Ciphertext);
    }
}
