using Microsoft.Extensions.Logging;

namespace Weft.Engine.Execution;

/// <summary>
/// A run's <c>WEFT_TMP</c> folder on this machine (<c>HOME/tmp/DAG/RUN</c>), shared by the run's tasks that run here:
/// made when a task needs it, removed when the run ends (by its owner, and by each worker that made one).
/// </summary>
internal static class RunTmpFolder
{
    public static string For(string home, string dagId, string runId) => Path.Combine(home, "tmp", Sanitize(dagId), Sanitize(runId));

    /// <summary>Removes the folder when it is there; a folder that cannot be removed is left, with a debug line.</summary>
    public static void TryDelete(string path, ILogger logger)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogDebug(ex, "Could not remove {TmpDir}", path);
        }
    }

    private static string Sanitize(string id) => id.Replace('/', '_').Replace('\\', '_');
}
