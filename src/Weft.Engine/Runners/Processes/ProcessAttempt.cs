using Weft.Engine.Logs;
using Weft.Engine.Runners.Expressions;
using Weft.Engine.Runners.Processes.Native;

namespace Weft.Engine.Runners.Processes;

/// <summary>
/// What shell and script attempts share: the working folder, the environment, the fresh <c>$WEFT_OUTPUT</c> file,
/// the masked log, and turning an exit code into a result (0 success, the skip code skipped, else failed).
/// </summary>
internal sealed class ProcessAttempt
{
    private readonly TaskExecutionContext _context;

    private ProcessAttempt(TaskExecutionContext context, string workingDirectory, string outputFile,
        Dictionary<string, string> environment, ITaskLog log)
    {
        _context = context;
        WorkingDirectory = workingDirectory;
        OutputFile = outputFile;
        Environment = environment;
        Log = log;
    }

    public string WorkingDirectory { get; }
    public string OutputFile { get; }
    /// <summary>The variables added to the engine's environment.</summary>
    public Dictionary<string, string> Environment { get; }
    /// <summary>The attempt's log, masking every secret the attempt's fields referenced.</summary>
    public ITaskLog Log { get; }

    /// <summary>
    /// Prepares an attempt. Render the runner's own fields with <paramref name="scope"/> first, so that the
    /// secrets they hold are masked too.
    /// </summary>
    /// <exception cref="TaskSetupException">Missing working folder, unknown secret.</exception>
    public static ProcessAttempt Prepare(TaskExecutionContext context, ExpressionScope scope)
    {
        var baseDirectory = context.Dag.BaseDirectory;
        var workingDirectory = context.Task.WorkingDir is { } dir ? Path.GetFullPath(dir, baseDirectory) : baseDirectory;
        if (!Directory.Exists(workingDirectory))
        {
            throw new TaskSetupException($"working directory not found: {workingDirectory}");
        }

        var outputFile = Path.Combine(context.TmpDir, ".weft-outputs", $"{context.Task.Id}.{context.Attempt}.out");
        ClearOutputFile(outputFile);

        var environment = AttemptEnvironment.Build(context, scope, workingDirectory, outputFile);
        return new ProcessAttempt(context, workingDirectory, outputFile, environment, MaskingTaskLog.Wrap(context.Log, scope.SecretValues));
    }

    /// <summary>
    /// Makes room for the attempt's <c>$WEFT_OUTPUT</c> without creating it: the task creates it when it sets an
    /// output (<c>echo k=v >> "$WEFT_OUTPUT"</c>), and most tasks set none. Creating and removing a file for every
    /// attempt was, for short tasks, the largest part of the engine's own CPU (the file system's inode work on
    /// create after delete). Whatever an earlier try left under the same name goes, so a try never sees another's
    /// outputs; the folder is made once per run.
    /// </summary>
    private static void ClearOutputFile(string path)
    {
        var folder = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder);
        }

        File.Delete(path);
    }

    /// <summary>A variable as the child will see it.</summary>
    public string? GetVariable(string name) =>
        Environment.TryGetValue(name, out var value) ? value : System.Environment.GetEnvironmentVariable(name);

    /// <summary>A spec for a program with this attempt's folder and environment.</summary>
    public ProcessSpec Spec(string fileName, IReadOnlyList<string> arguments, bool newSession) =>
        new(fileName, arguments, WorkingDirectory, Environment, newSession);

    /// <summary>Runs the program and reads its outputs.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The program could not be started.</exception>
    public async Task<TaskResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        var exit = await ProcessRunner.RunAsync(spec, Log, _context.ProcessStarted, cancellationToken);
        return exit.Cancelled ? Cancelled() : await FinishAsync(exit.ExitCode, cancellationToken);
    }

    /// <summary>The result of a cancelled attempt; the engine names the cause (a timeout or a stop).</summary>
    public TaskResult Cancelled()
    {
        DeleteOutputFile();
        return TaskResult.Failed("cancelled");
    }

    /// <summary>The result for an exit code, with the outputs the task wrote.</summary>
    public async Task<TaskResult> FinishAsync(int exitCode, CancellationToken cancellationToken)
    {
        var outputs = await ReadOutputsAsync(cancellationToken);
        if (exitCode == 0)
        {
            return TaskResult.Succeeded(outputs, exitCode);
        }

        if (exitCode == _context.Task.SkipOnExitCode)
        {
            Log.WriteLine("weft", $"exit code {exitCode}: the task is skipped");
            return TaskResult.Skipped($"exit code {exitCode}", exitCode);
        }

        return TaskResult.Failed($"exit code {exitCode}", exitCode, outputs);
    }

    private async Task<IReadOnlyDictionary<string, string>?> ReadOutputsAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Most tasks set no outputs: a stat is cheaper than an asynchronous read of an empty file.
            if (new FileInfo(OutputFile) is { Exists: false } or { Length: 0 })
            {
                return null;
            }

            var text = await File.ReadAllTextAsync(OutputFile, cancellationToken);

            var (outputs, problems) = OutputFileParser.Parse(text);
            foreach (var problem in problems)
            {
                Log.WriteLine("weft", $"$WEFT_OUTPUT {problem}");
            }

            return outputs;
        }
        catch (FileNotFoundException)
        {
            // The task removed the file; it set no outputs.
            return null;
        }
        finally
        {
            DeleteOutputFile();
        }
    }

    private void DeleteOutputFile()
    {
        try
        {
            File.Delete(OutputFile);
        }
        catch (IOException)
        {
            // Left for the run's temporary folder cleanup.
        }
    }
}
