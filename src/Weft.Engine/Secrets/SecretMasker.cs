using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Weft.Engine.Secrets;

/// <summary>
/// Replaces every known secret value in a text with <c>***</c>, longest first, together with the forms a value
/// commonly takes on its way (lower and upper case, URL-encoded, base64, JSON-escaped), as CI systems mask them.
/// </summary>
internal sealed class SecretMasker
{
    /// <summary>Values shorter than this are not masked (an empty value would match everywhere).</summary>
    public const int MinimumLength = 1;

    /// <summary>A masker that masks nothing.</summary>
    public static SecretMasker None { get; } = new([]);

    private static readonly JavaScriptEncoder Relaxed = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private readonly string[] _values;

    public SecretMasker(IEnumerable<string> values)
    {
        _values = values.Where(v => v.Length >= MinimumLength)
            .SelectMany(Forms)
            .Where(v => v.Length >= MinimumLength)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(v => v.Length)
            .ToArray();
    }

    /// <summary>True when there is at least one value to mask.</summary>
    public bool IsEmpty => _values.Length == 0;

    /// <summary>The text with each secret value (in any of its forms) replaced by <c>***</c>.</summary>
    public string Mask(string text)
    {
        foreach (var value in _values)
        {
            if (text.Contains(value, StringComparison.Ordinal))
            {
                text = text.Replace(value, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>The value and the forms it takes through an HTTP stack, an encoder or a serializer.</summary>
    private static IEnumerable<string> Forms(string value)
    {
        yield return value;
        yield return value.ToLowerInvariant();
        yield return value.ToUpperInvariant();
        yield return Uri.EscapeDataString(value);
        yield return Uri.EscapeDataString(value).ToLowerInvariant(); // %2f as well as %2F
        yield return WebUtility.UrlEncode(value);
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
        yield return base64;
        yield return base64.TrimEnd('=');
        yield return JsonEncodedText.Encode(value).ToString();
        yield return JsonEncodedText.Encode(value, Relaxed).ToString();
    }
}
