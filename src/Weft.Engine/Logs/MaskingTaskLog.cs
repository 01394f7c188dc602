using Weft.Engine.Runners;

namespace Weft.Engine.Logs;

/// <summary>Replaces every secret value in a line with <c>***</c> before it reaches the inner log.</summary>
internal sealed class MaskingTaskLog : ITaskLog
{
    private readonly ITaskLog _inner;
    private readonly string[] _secrets;

    private MaskingTaskLog(ITaskLog inner, string[] secrets)
    {
        _inner = inner;
        _secrets = secrets;
    }

    /// <inheritdoc />
    public string Path => _inner.Path;

    /// <summary>The log itself when there is nothing to mask, else a masking wrapper.</summary>
    public static ITaskLog Wrap(ITaskLog inner, IReadOnlyList<string> secrets)
    {
        // Longest first, so a secret that contains another is masked whole; empty values would mask everything.
        var values = secrets.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).ToArray();
        return values.Length == 0 ? inner : new MaskingTaskLog(inner, values);
    }

    /// <inheritdoc />
    public void WriteLine(string stream, string line)
    {
        foreach (var secret in _secrets)
        {
            line = line.Replace(secret, "***", StringComparison.Ordinal);
        }

        _inner.WriteLine(stream, line);
    }
}
