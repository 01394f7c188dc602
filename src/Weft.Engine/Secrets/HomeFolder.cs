namespace Weft.Engine.Secrets;

/// <summary>Weft's home folder (database, logs, secret key): created readable by its owner only.</summary>
internal static class HomeFolder
{
    /// <summary>Owner read, write and search (0700).</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder with mode 0700 when it does not exist; an existing folder keeps its mode.</summary>
    public static void Ensure(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            // Parents that are missing too are created the usual way; only the home itself is private.
            var parent = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(parent))
            {
                Directory.CreateDirectory(parent);
            }

            Directory.CreateDirectory(path, Mode);
        }
    }
}
