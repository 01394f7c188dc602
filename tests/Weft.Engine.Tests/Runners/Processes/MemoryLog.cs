using System.Collections.Concurrent;
using Weft.Engine.Runners;

namespace Weft.Engine.Tests.Runners.Processes;

/// <summary>A task log that keeps its lines in memory, as "[stream] text".</summary>
internal sealed class MemoryLog : ITaskLog
{
    private readonly ConcurrentQueue<string> _lines = new();

    public string Path => "memory";

    public IReadOnlyList<string> Lines => [.. _lines];

    public IReadOnlyList<string> Stream(string name) =>
        _lines.Where(l => l.StartsWith($"[{name}] ", StringComparison.Ordinal)).Select(l => l[(name.Length + 3)..]).ToList();

    public void WriteLine(string stream, string line) => _lines.Enqueue($"[{stream}] {line}");
}
