using Weft.Core.Dags;
using Weft.Core.Definitions;
using Weft.Engine.Execution;
using Microsoft.Extensions.Logging.Abstractions;
using Weft.Engine.Storage;
using Weft.Storage.Sqlite;

namespace Weft.Engine.Tests.RunExecution;

/// <summary>A temp folder with a real SQLite database and a Weft home, and a way to build and run DAGs in it.</summary>
internal sealed class ExecutorFixture : IAsyncDisposable
{
    private ExecutorFixture(string root, SqliteStateStore store)
    {
        Root = root;
        Store = store;
    }

    public string Root { get; }

    public string Home => Path.Combine(Root, ".weft");

    public SqliteStateStore Store { get; }

    public static async Task<ExecutorFixture> CreateAsync()
    {
        var root = Directory.CreateTempSubdirectory("weft-executor-tests-").FullName;
        var store = new SqliteStateStore(Path.Combine(root, ".weft", "weft.db"));
        await store.InitializeAsync(CancellationToken.None);
        return new ExecutorFixture(root, store);
    }

    /// <summary>Loads DAG text as if from a file in the fixture's folder; fails on any diagnostic error.</summary>
    public DagDefinition Load(string text, string fileName = "dag.yaml")
    {
        var path = Path.Combine(Root, fileName);
        File.WriteAllText(path, text);
        var result = DagLoader.LoadFile(path);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Dag!;
    }

    public FixtureExecutor Executor(int? parallelism = null) => new(this, parallelism);

    public async Task<RunRecord> CreateRunAsync(DagDefinition dag) =>
        (await new global::Weft.Engine.Operations.OperatorActions(Store, TimeProvider.System)
            .CreateRunAsync(dag, new global::Weft.Engine.Operations.TriggerRequest(dag.Id), dagFile: null, actor: null, CancellationToken.None)).Run;

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Executes a stored run the way every Weft process does: as an owner with a lease, through a claim.</summary>
internal sealed class FixtureExecutor(ExecutorFixture fixture, int? parallelism)
{
    public async Task<RunSnapshot> ExecuteAsync(DagDefinition dag, string runId, CancellationToken cancellationToken)
    {
        await using var executor = await Executor.StartAsync(
            fixture.Store,
            new ExecutorSettings { Kind = "test", Home = fixture.Home, RunParallelism = parallelism, TasksDir = Path.Combine(fixture.Root, "tasks") },
            TimeProvider.System,
            NullLogger.Instance,
            CancellationToken.None);
        var claimed = await executor.ClaimAsync(dag.Id, runId, CancellationToken.None)
            ?? throw new InvalidOperationException($"run {runId} cannot be claimed");
        return await executor.ExecuteAsync(dag, claimed, null, cancellationToken);
    }
}
