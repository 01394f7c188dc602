using System.Net.Http.Headers;

namespace Weft.Cli.Commands;

/// <summary>What the commands that talk to a running server (<c>--server URL</c>) share: the URL, the token, the client, the error when it does not answer.</summary>
internal static class ServerApi
{
    /// <summary>The server's base URL with a trailing slash; a usage error when it is not http(s).</summary>
    public static Uri Url(string value)
    {
        if (!Uri.TryCreate(value.TrimEnd('/') + "/", UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
        {
            throw CliException.Usage($"--server: '{value}' is not an http:// or https:// URL");
        }

        return server;
    }

    /// <summary>The token given, else <c>WEFT_TOKEN</c>; a usage error naming <paramref name="which"/> when neither is set.</summary>
    public static string Token(string? given, string which)
    {
        var token = given ?? Environment.GetEnvironmentVariable("WEFT_TOKEN");
        return string.IsNullOrWhiteSpace(token)
            ? throw CliException.Usage("no API token", $"give --token TOKEN or set WEFT_TOKEN ({which})")
            : token;
    }

    /// <summary>A client of the server that sends the token on every request.</summary>
    public static HttpClient Client(Uri server, string token, TimeSpan timeout)
    {
        var http = new HttpClient { BaseAddress = server, Timeout = timeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>The error for a server that did not answer.</summary>
    public static CliException Unreachable(Uri server, Exception error) =>
        new(ExitCodes.Infrastructure, $"cannot reach {server}: {error.Message}", "is 'weft server' running there?");
}
