using System.Security.Cryptography;
using System.Text;
using Weft.Core.Dags;
using Weft.Engine.Json;
using Weft.Engine.Storage;

namespace Weft.Engine.Operations;

/// <summary>Turns a DAG loaded from a file into the row the database keeps for it.</summary>
internal static class DagRegistration
{
    /// <summary>
    /// The DAG's row: the file text as the source, its SHA-256 (lower-case hex) as the hash so a changed file is
    /// noticed, and the schedule and tags copied out for listing without parsing the source.
    /// </summary>
    public static DagRecord Record(DagDefinition dag, string source, string? filePath, bool paused, DateTimeOffset now) =>
        new(
            dag.Id,
            filePath,
            source,
            Hash(source),
            paused,
            dag.Schedule?.Text,
            JsonStringList.Write(dag.Tags),
            LoadError: null,
            now);

    /// <summary>SHA-256 of the UTF-8 text, lower-case hex.</summary>
    public static string Hash(string source) => Weft.Core.Definitions.DagLoader.SourceHash(source);
}
