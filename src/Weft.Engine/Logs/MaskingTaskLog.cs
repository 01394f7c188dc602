using Weft.Engine.Runners;
using Weft.Engine.Secrets;

namespace Weft.Engine.Logs;

/// <summary>Replaces every secret value in a line with <c>***</c> before it reaches the inner log.</summary>
internal sealed class MaskingTaskLog : ITaskLog, IDisposable
{
    private readonly ITaskLog _inner;
    private readonly SecretMasker _masker;

    private MaskingTaskLog(ITaskLog inner, SecretMasker masker)
    {
        _inner = inner;
        _masker = masker;
    }

    /// <inheritdoc />
    public string Path => _inner.Path;

    /// <summary>The log itself when there is nothing to mask, else a masking wrapper.</summary>
    public static ITaskLog Wrap(ITaskLog inner, IReadOnlyList<string> secrets) =>
        secrets.Count == 0 ? inner : Wrap(inner, new SecretMasker(secrets));

    /// <summary>The log itself when the masker is empty, else a masking wrapper.</summary>
    public static ITaskLog Wrap(ITaskLog inner, SecretMasker masker) =>
        masker.IsEmpty ? inner : new MaskingTaskLog(inner, masker);

    /// <inheritdoc />
    public void WriteLine(string stream, string line) => _inner.WriteLine(stream, _masker.Mask(line));

    /// <summary>Disposes the inner log (the file).</summary>
    public void Dispose() => (_inner as IDisposable)?.Dispose();
}
