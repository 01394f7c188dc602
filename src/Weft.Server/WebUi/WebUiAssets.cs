using System.Collections.Frozen;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Weft.Server.WebUi;

/// <summary>
/// The web UI's built files, embedded in this assembly under <c>webui/</c> by the build (see Weft.Server.csproj),
/// read once and kept with a gzip copy and an ETag. Resource streams need no reflection, so the native executable
/// serves them the same way.
/// </summary>
internal sealed class WebUiAssets
{
    private const string Prefix = "webui/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
        [".json"] = "application/json",
        [".woff2"] = "font/woff2",
        [".txt"] = "text/plain; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, Asset> _assets;

    public WebUiAssets()
    {
        var assembly = typeof(WebUiAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var path = "/" + name[Prefix.Length..].Replace('\\', '/');
            assets[path] = new Asset(
                bytes,
                Compressible(path) ? Gzip(bytes) : null,
                ContentTypes.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream"),
                "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"",
                path.StartsWith("/assets/", StringComparison.Ordinal));
        }

        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>False when the server was built without the web UI (no Node.js at build time).</summary>
    public bool Available => _assets.ContainsKey("/index.html");

    /// <summary>The file at a URL path, or null.</summary>
    public Asset? Find(string path) => _assets.GetValueOrDefault(path);

    private static bool Compressible(string path) =>
        path.EndsWith(".js", StringComparison.Ordinal) || path.EndsWith(".css", StringComparison.Ordinal)
        || path.EndsWith(".html", StringComparison.Ordinal) || path.EndsWith(".svg", StringComparison.Ordinal);

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    /// <summary>One file: its bytes, gzip copy (for text), type and ETag; files under /assets/ have hashed names and never change.</summary>
    internal sealed record Asset(byte[] Bytes, byte[]? Gzipped, string ContentType, string ETag, bool Immutable);
}
