using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Weft.Server.Api;

/// <summary>
/// The problem detail for a request the endpoint binder refused (unreadable JSON, a wrong type, an invalid UTF-16
/// escape, a missing body): what is wrong and where, in the API's own terms rather than its C# parameter types.
/// </summary>
internal static partial class BadRequestDetail
{
    public static string For(BadHttpRequestException exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is JsonException json)
            {
                var path = string.IsNullOrEmpty(json.Path) ? "the body" : json.Path;
                // System.Text.Json reports a lone surrogate (\ud800) as an InvalidOperationException under the JsonException.
                if (json.InnerException is InvalidOperationException)
                {
                    return JsonUtf16.Message(path);
                }

                var message = json.Message;
                var cut = message.IndexOf(" Path:", StringComparison.Ordinal) is var p and > 0 ? p : message.IndexOf(" LineNumber:", StringComparison.Ordinal);
                message = TypeName().Replace(cut > 0 ? message[..cut] : message, "$1").Trim();
                return $"the body is not valid JSON for this request at {path}: {message}";
            }
        }

        return exception.StatusCode switch
        {
            StatusCodes.Status415UnsupportedMediaType => "send the body as JSON, with 'Content-Type: application/json'",
            _ when exception.Message.StartsWith("Required parameter", StringComparison.Ordinal) => "this request needs a JSON body",
            _ => TypeName().Replace(exception.Message, "$1"),
        };
    }

    // Namespaces of .NET types named in binder messages (System.Int32, Weft.Server.Api.Models.StatePatch).
    [GeneratedRegex(@"\b(?:[A-Z][A-Za-z0-9]*\.)+([A-Z][A-Za-z0-9]*)\b")]
    private static partial Regex TypeName();
}
