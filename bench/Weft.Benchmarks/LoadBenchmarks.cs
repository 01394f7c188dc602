using BenchmarkDotNet.Attributes;
using Weft.Core.Definitions;

namespace Weft.Benchmarks;

/// <summary>Parses and validates one DAG file's text in process: no process start, no file read.</summary>
[MemoryDiagnoser]
public class LoadBenchmarks
{
    private string _text = "";
    private string _fileName = "";

    /// <summary>The DAG file to load; set by <c>WEFT_BENCH_DAG</c>.</summary>
    public static string DagPath => Environment.GetEnvironmentVariable("WEFT_BENCH_DAG")
        ?? throw new InvalidOperationException("Set WEFT_BENCH_DAG to the DAG file to load.");

    [GlobalSetup]
    public void Setup()
    {
        _fileName = Path.GetFileName(DagPath);
        _text = File.ReadAllText(DagPath);
        var result = DagLoader.LoadText(_text, _fileName);
        if (result.HasErrors)
        {
            throw new InvalidOperationException($"{DagPath} does not load cleanly.");
        }
    }

    [Benchmark]
    public LoadResult LoadText() => DagLoader.LoadText(_text, _fileName);
}
