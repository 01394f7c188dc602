using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Weft.Server.Api.Models;

namespace Weft.Server.WebUi;

/// <summary>
/// The web UI at <c>/</c> and its files under <c>/assets/</c>, without authentication: the files hold no data, and
/// the UI sends the token it keeps in the browser with every API call. <c>GET /</c> asking for JSON still gets the
/// index of where things are.
/// </summary>
internal static class WebUiEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext http, WebUiAssets assets) =>
            {
                var accept = http.Request.Headers.Accept.ToString();
                if (!assets.Available || (accept.Contains("application/json", StringComparison.OrdinalIgnoreCase)
                    && !accept.Contains("text/html", StringComparison.OrdinalIgnoreCase)))
                {
                    return TypedResults.Ok(RootResponse.Instance);
                }

                return Serve(http, assets.Find("/index.html")!);
            })
            .AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/{file}", (string file, HttpContext http, WebUiAssets assets) => Serve(http, assets.Find("/" + file)))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/assets/{file}", (string file, HttpContext http, WebUiAssets assets) => Serve(http, assets.Find("/assets/" + file)))
            .AllowAnonymous().ExcludeFromDescription();
    }

    private static IResult Serve(HttpContext http, WebUiAssets.Asset? asset)
    {
        if (asset is null)
        {
            return TypedResults.NotFound();
        }

        var headers = http.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = asset.Immutable ? "public, max-age=31536000, immutable" : "no-cache";
        headers.Vary = "Accept-Encoding";
        // The page may only run its own scripts and talk to this server.
        headers["Content-Security-Policy"] = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (http.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        if (asset.Gzipped is { } gz && http.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            headers.ContentEncoding = "gzip";
            return TypedResults.Bytes(gz, asset.ContentType);
        }

        return TypedResults.Bytes(asset.Bytes, asset.ContentType);
    }
}
