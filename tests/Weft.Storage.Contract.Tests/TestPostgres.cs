using Npgsql;

namespace Weft.Storage.Tests;

/// <summary>The PostgreSQL server the tests use, named by <c>WEFT_TEST_POSTGRES</c> as a <c>postgres://</c> URL.</summary>
internal static class TestPostgres
{
    public const string Variable = "WEFT_TEST_POSTGRES";

    public const string HowToRun =
        "run scripts/test.sh (it starts a private PostgreSQL), or eval the export line that scripts/ensure-postgres.sh prints and run dotnet test again";

    /// <summary>The server's URL; fails the test, saying how to get one, when it is not set.</summary>
    public static string Url =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } url
            ? url
            : throw new InvalidOperationException($"{Variable} is not set: {HowToRun}");

    /// <summary>The URL with Weft's tables in <paramref name="schema"/>.</summary>
    public static string InSchema(string schema) => Url + (Url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "search_path=" + schema;

    /// <summary>An Npgsql connection string for the server, for the tests' own look at the database.</summary>
    public static string ConnectionString()
    {
        var uri = new Uri(Url);
        var user = uri.UserInfo.Split(':', 2);
        return new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port > 0 ? uri.Port : 5432,
            Username = Uri.UnescapeDataString(user[0]),
            Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null,
            Database = uri.AbsolutePath.TrimStart('/'),
            Pooling = false,
        }.ConnectionString;
    }
}
