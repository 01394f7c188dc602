using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Weft.Benchmarks;

// In-process: the benchmark runs in this (Release) process, so no generated
// project has to be built against the repository's central package settings.
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance))
    .AddExporter(JsonExporter.Full)
    .WithArtifactsPath(args.Length > 0 ? args[0] : "BenchmarkDotNet.Artifacts");
var summary = BenchmarkRunner.Run<LoadBenchmarks>(config);
return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;
