using Weft.Core.Dags;
using Weft.Core.Definitions;

namespace Weft.Cli;

/// <summary>Turns a command's <c>FILE|DAG_ID</c> argument into a valid DAG, reporting problems the contract's way.</summary>
internal static class DagTargets
{
    /// <summary>
    /// Loads a DAG file, or finds a DAG by id in the DAGs folder. Diagnostics go to stderr (warnings too);
    /// a DAG with errors, a missing file and an unknown id end the command with exit 2.
    /// </summary>
    public static DagDefinition Load(CliContext context, string target)
    {
        if (File.Exists(target))
        {
            return LoadFile(context, target);
        }

        if (Directory.Exists(target))
        {
            throw CliException.Usage($"'{target}' is a folder; this command takes one DAG file", $"run 'weft validate {target}' to check a folder");
        }

        if (LooksLikePath(target))
        {
            throw NoSuchPath(target);
        }

        if (!Directory.Exists(context.DagsFolder))
        {
            throw CliException.Usage(
                $"no such file '{target}', and no DAGs folder at '{Path.GetFullPath(context.DagsFolder)}' to look for a DAG with that id",
                "give the DAG file's path, or the folder with --dags DIR (or WEFT_DAGS)");
        }

        return FindById(context, target);
    }

    /// <summary>The error for a path that does not exist.</summary>
    public static CliException NoSuchPath(string path) => CliException.Usage($"no such file or folder '{path}'");

    private static DagDefinition LoadFile(CliContext context, string path)
    {
        context.WriteVerbose($"loading {path}");
        var result = DagLoader.LoadFile(path);
        context.WriteDiagnostics(result.Diagnostics);
        if (result.HasErrors || result.Dag is null)
        {
            throw CliException.Reported(ExitCodes.Usage);
        }

        return result.Dag;
    }

    private static DagDefinition FindById(CliContext context, string dagId)
    {
        context.WriteVerbose($"looking for DAG '{dagId}' in {context.DagsFolder}");
        var results = DagLoader.LoadPath(context.DagsFolder);
        var match = results.FirstOrDefault(r => r.Dag?.Id == dagId);
        if (match is not null)
        {
            context.WriteDiagnostics(match.Diagnostics);
            return match.Dag!;
        }

        var broken = results.Count(r => r.HasErrors);
        throw CliException.Usage(
            $"no such file or folder '{dagId}', and no DAG with that id in '{context.DagsFolder}'",
            broken > 0 ? $"{broken} DAG file(s) there have errors; run 'weft validate {context.DagsFolder}'" : null);
    }

    // A DAG id cannot hold a path separator, and ids rarely end in a DAG file extension.
    private static bool LooksLikePath(string target) =>
        target.Contains('/') || target.Contains(Path.DirectorySeparatorChar)
        || DagLoader.Extensions.Any(e => target.EndsWith(e, StringComparison.OrdinalIgnoreCase));
}
