namespace Weft.Core.Templating;

/// <summary>Which part of a URL a position stands in.</summary>
internal enum UrlPlace
{
    /// <summary>Before <c>scheme://</c> is complete: a value there would choose the scheme.</summary>
    Scheme,

    /// <summary>The host and port, between <c>://</c> and the first <c>/</c>, <c>?</c> or <c>#</c>.</summary>
    Authority,

    /// <summary>The path, query or fragment: values are percent-encoded there.</summary>
    Rest,
}

/// <summary>Where an expression stands in a URL, judged from the literal text before it.</summary>
internal static class UrlPlaces
{
    /// <summary>What to write instead of an expression that stands before the host part.</summary>
    public const string SchemeProblem =
        "stands before the url's host, where a value would choose the scheme; write the scheme in the url (https://${{ … }}/path) and put values in the host, path or query";

    /// <summary>The part of the URL that follows <paramref name="prefix"/>.</summary>
    public static UrlPlace Of(string prefix)
    {
        var scheme = prefix.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return UrlPlace.Scheme;
        }

        return prefix.AsSpan(scheme + 3).IndexOfAny('/', '?', '#') >= 0 ? UrlPlace.Rest : UrlPlace.Authority;
    }

    /// <summary>True for text that can be (part of) a host and port: no user info, path or query.</summary>
    public static bool IsHostText(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']' or '_');
}
