using System.Net;
using System.Text.Json.Nodes;

namespace Weft.Server.Tests.WebUi;

public sealed class WebUiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerHarness Server => fixture.Server;

    [Fact]
    public async Task Root_ServesTheEmbeddedUi_ToABrowser_AndTheIndexAsJson_ToAClient()
    {
        var client = Server.Anonymous();
        using var page = new HttpRequestMessage(HttpMethod.Get, "/");
        page.Headers.Accept.ParseAdd("text/html");
        using var html = await client.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        var text = await html.Content.ReadAsStringAsync();
        Assert.Contains("<div id=\"root\"></div>", text, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", html.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        // Every script the page names is served, compressed when asked, and cached for good (its name holds its hash).
        var script = System.Text.RegularExpressions.Regex.Match(text, "src=\"(/assets/[^\"]+\\.js)\"").Groups[1].Value;
        using var js = new HttpRequestMessage(HttpMethod.Get, script);
        js.Headers.AcceptEncoding.ParseAdd("gzip");
        using var asset = await client.SendAsync(js);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("gzip", asset.Content.Headers.ContentEncoding.Single());
        Assert.Contains("immutable", asset.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/assets/nope.js")).StatusCode);

        using var json = new HttpRequestMessage(HttpMethod.Get, "/");
        json.Headers.Accept.ParseAdd("application/json");
        var index = JsonNode.Parse(await (await client.SendAsync(json)).Content.ReadAsStringAsync())!;
        Assert.Equal("/api/v1", (string?)index["api"]);
    }

    [Fact]
    public async Task OpenApiDocument_IsTheOneTheWebUiTypesAreGeneratedFrom()
    {
        // web/openapi.json feeds openapi-typescript (src/api/schema.d.ts); a changed API must be copied there
        // (node web/scripts/fetch-openapi.mjs URL; npm run gen:api) or the UI's types would drift from the server.
        var served = JsonNode.Parse(await Server.Anonymous().GetStringAsync("/openapi/v1.json"))!.AsObject();
        var file = Path.Combine(RepositoryRoot(), "web", "openapi.json");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsObject();
        Assert.False(((string?)served["servers"]![0]!["url"])!.EndsWith('/'));
        Assert.Empty(served["paths"]!["/api/v1/health"]!["get"]!["security"]!.AsArray());
        served.Remove("servers");
        committed.Remove("servers");
        Assert.True(JsonNode.DeepEquals(served, committed), $"{file} differs from the server's /openapi/v1.json: run node web/scripts/fetch-openapi.mjs and npm run gen:api");
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Weft.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("no Weft.slnx above " + AppContext.BaseDirectory);
    }
}
