using System.Collections.Immutable;
using System.Text.Json;
using Weft.Core.Dags;
using Weft.Core.Runs;
using Weft.Engine.Logs;
using Weft.Engine.Runners;

namespace Weft.Engine.Tests.Runners;

/// <summary>A scratch folder with a DAG folder, a tasks folder, a run temp folder and a log file, for one test.</summary>
internal sealed class AttemptFixture : IDisposable
{
    public AttemptFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "weft-runner-tests", Guid.NewGuid().ToString("N"));
        DagDir = Directory.CreateDirectory(Path.Combine(Root, "dags")).FullName;
        TasksDir = Directory.CreateDirectory(Path.Combine(Root, "tasks")).FullName;
        TmpDir = Directory.CreateDirectory(Path.Combine(Root, "tmp")).FullName;
        Log = new FileTaskLog(TaskLogPaths.For(Path.Combine(Root, "home"), "test_dag", "manual__2026-11-22T10:00:00.000Z", "t", 1));
    }

    public string Root { get; }
    public string DagDir { get; }
    public string TasksDir { get; }
    public string TmpDir { get; }
    public FileTaskLog Log { get; }

    public Dictionary<string, JsonElement> Params { get; } = [];
    public Dictionary<string, IReadOnlyDictionary<string, string>> Outputs { get; } = [];
    public Dictionary<string, TaskState> States { get; } = [];
    public Dictionary<string, string> Secrets { get; } = [];

    public static TaskDefinition Shell(string command, string id = "t") => new() { Id = id, Type = TaskType.Shell, Command = command };

    public TaskExecutionContext Context(TaskDefinition task, int attempt = 1) => new()
    {
        Dag = new DagDefinition
        {
            Id = "test_dag",
            SourceFile = Path.Combine(DagDir, "test_dag.yaml"),
            Params = Params.ToImmutableDictionary(),
            Tasks = [task],
        },
        Task = task,
        RunId = "manual__2026-11-22T10:00:00.000Z",
        Attempt = attempt,
        LogicalDate = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero),
        DataIntervalStart = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero),
        DataIntervalEnd = new DateTimeOffset(2026, 11, 22, 10, 0, 0, 123, TimeSpan.Zero),
        Params = Params,
        Outputs = Outputs,
        States = States,
        Secrets = name => Secrets.GetValueOrDefault(name),
        TmpDir = TmpDir,
        TasksDir = TasksDir,
        Log = Log,
    };

    public void SetParam(string name, object value) => Params[name] = JsonSerializer.SerializeToElement(value);

    /// <summary>Writes a file; an executable one gets mode 755.</summary>
    public string WriteFile(string relativePath, string text, bool executable = false)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
        if (executable && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }

        return path;
    }

    /// <summary>The log's lines without their timestamps: "[stdout] text".</summary>
    public List<string> LogLines()
    {
        Log.Flush();
        return File.Exists(Log.Path)
            ? File.ReadAllLines(Log.Path).Select(l => l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..]).ToList()
            : [];
    }

    public List<string> Stdout() =>
        LogLines().Where(l => l.StartsWith("[stdout] ", StringComparison.Ordinal)).Select(l => l["[stdout] ".Length..]).ToList();

    public string LogText() => string.Join('\n', LogLines());

    public void Dispose()
    {
        Log.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
