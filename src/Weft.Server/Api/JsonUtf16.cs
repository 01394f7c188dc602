using System.Text.Json;

namespace Weft.Server.Api;

/// <summary>
/// Finds strings in a JSON value that cannot become .NET strings. The parser accepts an escaped lone surrogate
/// (<c>"\ud800"</c>) as well-formed JSON and fails only when the string is read, so a body kept as a
/// <see cref="JsonElement"/> is checked here, before anything reads it, and refused as a bad request.
/// </summary>
internal static class JsonUtf16
{
    /// <summary>The path (<c>conf.who</c>) of the first string or key that is not valid UTF-16, or null when all are.</summary>
    public static string? FindInvalid(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Readable(element) ? null : path;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!TryName(property, out var name))
                    {
                        return $"{path} (a key)";
                    }

                    if (FindInvalid(property.Value, $"{path}.{name}") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindInvalid(item, $"{path}[{i++}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>The problem detail for a value found by <see cref="FindInvalid"/>.</summary>
    public static string Message(string path) =>
        $"{path} holds an escape that is not valid UTF-16 (a lone surrogate such as \\ud800); send the character itself or a surrogate pair";

    private static bool Readable(JsonElement element)
    {
        try
        {
            _ = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = string.Empty;
            return false;
        }
    }
}
