using Weft.Core.Dags;
using Weft.Core.Definitions;
using Weft.Core.Diagnostics;
using Weft.Engine.Storage;

namespace Weft.Cli.Commands;

/// <summary>
/// One DAG as the operator commands see it: what the DAGs folder holds (the definition, or the errors of a file
/// that does not load) merged with what the database registered (paused flag, source). A broken file has no id.
/// </summary>
internal sealed record DagEntry(string? DagId, string? File, DagDefinition? Definition, DagRecord? Registered, IReadOnlyList<string> Errors);

/// <summary>Builds <see cref="DagEntry"/> lists from the DAGs folder and the database.</summary>
internal static class DagsCatalog
{
    /// <summary>
    /// Every DAG file of the folder (by path), then the DAGs only the database knows (by id). A file repeating an
    /// id already seen is listed as broken, since the scheduler cannot tell which one is meant.
    /// </summary>
    public static async Task<IReadOnlyList<DagEntry>> LoadAsync(CliContext context, IStateStore store, CancellationToken cancellationToken)
    {
        var registered = (await store.ListDagsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(d => d.DagId, StringComparer.Ordinal);
        var entries = new List<DagEntry>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Directory.Exists(context.DagsFolder))
        {
            foreach (var result in DagLoader.LoadPath(context.DagsFolder))
            {
                if (result.Dag is not { } dag)
                {
                    var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
                    entries.Add(new DagEntry(null, result.File, null, null, errors));
                }
                else if (seen.TryGetValue(dag.Id, out var first))
                {
                    entries.Add(new DagEntry(null, result.File, null, null, [$"{result.File}:1:1: error: DAG id '{dag.Id}' is already defined in '{first}'"]));
                }
                else
                {
                    seen[dag.Id] = result.File;
                    entries.Add(new DagEntry(dag.Id, result.File, dag, registered.GetValueOrDefault(dag.Id), []));
                }
            }
        }
        else
        {
            context.WriteVerbose($"no DAGs folder at {context.DagsFolder}; listing the DAGs the database knows");
        }

        foreach (var record in registered.Values.Where(r => !seen.ContainsKey(r.DagId)).OrderBy(r => r.DagId, StringComparer.Ordinal))
        {
            entries.Add(new DagEntry(record.DagId, record.FilePath, null, record, record.LoadError is { } error ? [error] : []));
        }

        return entries;
    }

    /// <summary>The DAG with that id; exit 1 when neither the folder nor the database has it.</summary>
    public static async Task<DagEntry> FindAsync(CliContext context, IStateStore store, string dagId, CancellationToken cancellationToken)
    {
        var entries = await LoadAsync(context, store, cancellationToken).ConfigureAwait(false);
        if (entries.FirstOrDefault(e => e.DagId == dagId) is { } found)
        {
            return found;
        }

        var broken = entries.Count(e => e.DagId is null);
        throw new CliException(
            ExitCodes.Failed,
            $"no DAG '{dagId}' in '{context.DagsFolder}' or the database",
            broken > 0 ? $"{broken} DAG file(s) there have errors; run 'weft validate {context.DagsFolder}'" : "list DAGs with 'weft dags list'");
    }

    /// <summary>The definition of an entry, parsing the registered source for a DAG that is only in the database.</summary>
    public static DagDefinition? DefinitionOf(DagEntry entry) =>
        entry.Definition
        ?? (entry.Registered is { } r ? DagLoader.LoadText(r.Source, r.FilePath ?? r.DagId + ".yaml").Dag : null);

    /// <summary>A path shown relative to the current folder when it lies below it.</summary>
    public static string Display(string? path)
    {
        if (path is null)
        {
            return "";
        }

        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
