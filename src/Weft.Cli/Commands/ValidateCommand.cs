using System.CommandLine;
using Weft.Core.Definitions;
using Weft.Core.Diagnostics;

namespace Weft.Cli.Commands;

/// <summary><c>weft validate PATH…</c>: checks DAG files and folders and reports every problem.</summary>
internal sealed class ValidateCommand : WeftCommand
{
    private readonly Argument<string[]> _paths = new("PATH")
    {
        Description = "DAG files, or folders scanned recursively for .yaml, .yml and .json files",
        Arity = ArgumentArity.OneOrMore,
    };

    public ValidateCommand()
        : base("validate", "Check DAG files and folders, reporting every error and warning, not just the first")
    {
        Arguments.Add(_paths);
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var results = new List<LoadResult>();
        var missing = false;
        foreach (var path in context.ParseResult.GetRequiredValue(_paths))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                // Keep going: one typo should not hide the problems in the other paths.
                context.WriteError(DagTargets.NoSuchPath(path).Message);
                missing = true;
                continue;
            }

            context.WriteVerbose($"validating {path}");
            var found = File.Exists(path) ? [DagLoader.LoadFile(path)] : DagLoader.LoadPath(path);
            if (found.Count == 0)
            {
                context.WriteWarning($"no DAG files (.yaml, .yml, .json) under '{path}'");
            }

            results.AddRange(found);
        }

        results = await WithPoolWarningsAsync(context, results, cancellationToken).ConfigureAwait(false);
        var failed = results.Count(r => r.HasErrors);
        if (context.Json)
        {
            context.WriteJson(new ValidateJson([.. results.Select(FileJson.From)]));
        }
        else
        {
            foreach (var result in results)
            {
                context.WriteDiagnostics(result.Diagnostics);
            }

            context.WriteInfo($"validated {results.Count} DAG file{(results.Count == 1 ? "" : "s")}: {results.Count - failed} ok, {failed} with errors");
        }

        return failed > 0 || missing ? ExitCodes.Usage : ExitCodes.Success;
    }

    /// <summary>Adds a warning for each task in a pool the database lacks; only when a database exists (validate never creates one).</summary>
    private static async Task<List<LoadResult>> WithPoolWarningsAsync(CliContext context, List<LoadResult> results, CancellationToken cancellationToken)
    {
        if (context.IsPostgres || !File.Exists(context.Database) || !results.Any(r => r.Dag is not null))
        {
            return results;
        }

        await using var store = await Running.StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        var actions = new Weft.Engine.Operations.OperatorActions(store, TimeProvider.System);
        var withWarnings = new List<LoadResult>(results.Count);
        foreach (var result in results)
        {
            if (result.Dag is { } dag && await actions.PoolWarningsAsync(dag, cancellationToken).ConfigureAwait(false) is { Count: > 0 } warnings)
            {
                withWarnings.Add(result with
                {
                    Diagnostics = [.. result.Diagnostics.Concat(warnings).OrderBy(d => d.Position.Line).ThenBy(d => d.Position.Column)],
                });
            }
            else
            {
                withWarnings.Add(result);
            }
        }

        return withWarnings;
    }

    internal sealed record ValidateJson(IReadOnlyList<FileJson> Files);

    internal sealed record FileJson(string File, string? DagId, bool Valid, IReadOnlyList<DiagnosticJson> Diagnostics)
    {
        public static FileJson From(LoadResult result) => new(
            result.File,
            result.Dag?.Id,
            !result.HasErrors,
            [.. result.Diagnostics.Select(d => new DiagnosticJson(
                d.Severity == DiagnosticSeverity.Error ? "error" : "warning",
                d.Position.File,
                d.Position.Line,
                d.Position.Column,
                d.Message))]);
    }

    internal sealed record DiagnosticJson(string Severity, string File, int Line, int Column, string Message);
}
