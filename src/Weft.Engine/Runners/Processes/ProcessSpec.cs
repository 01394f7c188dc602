namespace Weft.Engine.Runners.Processes;

/// <summary>
/// One program to start: its path, arguments (passed as they are, never through a shell), working folder and the
/// variables added to the parent's environment. <see cref="NewSession"/> starts it as the leader of a session and
/// process group of its own, so a stop can kill every process it spawned, reparented ones included.
/// </summary>
internal sealed record ProcessSpec(
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    bool NewSession);
