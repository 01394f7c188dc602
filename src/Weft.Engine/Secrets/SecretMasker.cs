namespace Weft.Engine.Secrets;

/// <summary>Replaces every known secret value in a text with <c>***</c>, longest value first.</summary>
internal sealed class SecretMasker
{
    /// <summary>Values shorter than this are not masked (an empty value would match everywhere).</summary>
    public const int MinimumLength = 1;

    /// <summary>A masker that masks nothing.</summary>
    public static SecretMasker None { get; } = new([]);

    private readonly string[] _values;

    public SecretMasker(IEnumerable<string> values)
    {
        _values = values.Where(v => v.Length >= MinimumLength).Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length).ToArray();
    }

    /// <summary>True when there is at least one value to mask.</summary>
    public bool IsEmpty => _values.Length == 0;

    /// <summary>The text with each secret value replaced by <c>***</c>.</summary>
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
}
