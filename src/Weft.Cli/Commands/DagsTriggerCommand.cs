using System.CommandLine;
using Weft.Cli.Running;
using Weft.Core.Dags;
using Weft.Core.Definitions;
using Weft.Engine.Execution;
using Weft.Engine.Json;
using Weft.Engine.Storage;

namespace Weft.Cli.Commands;

/// <summary>
/// <c>weft dags trigger DAG [--conf JSON]</c>: queues a manual run in the database for the scheduler to
/// execute; nothing runs here. A subcommand of <c>weft dags</c>.
/// </summary>
internal sealed class DagsTriggerCommand : WeftCommand
{
    private readonly Argument<string> _dag = new("DAG")
    {
        Description = "The id of a DAG in the DAGs folder (or registered in the database)",
    };

    private readonly Option<string?> _conf = new("--conf")
    {
        Description = "Run parameters as a JSON object, overriding the DAG's params",
        HelpName = "JSON",
    };

    public DagsTriggerCommand()
        : base("trigger", "Queue a manual run of a DAG; a running scheduler executes it")
    {
        Arguments.Add(_dag);
        Options.Add(_conf);
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var parse = context.ParseResult;
        var dagId = parse.GetValue(_dag)!;
        var conf = RunParameters.Parse(parse.GetValue(_conf), []);
        await using var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        var dag = await FindAsync(context, store, dagId, cancellationToken).ConfigureAwait(false);

        // No DAG file on the run: it is the scheduler's to execute, with the version it registered.
        var run = await RunLauncher.CreateManualRunAsync(store, dag, conf, dagFile: null, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        if (context.Json)
        {
            var snapshot = await store.GetRunAsync(dag.Id, run.RunId, cancellationToken).ConfigureAwait(false);
            context.Out.WriteLine(RunJson.Serialize(snapshot!, indented: true));
        }
        else
        {
            context.Out.WriteLine(run.RunId);
        }

        var paused = (await store.GetDagAsync(dag.Id, cancellationToken).ConfigureAwait(false))?.IsPaused == true;
        if (!context.Quiet)
        {
            context.Error.WriteLine(paused
                ? $"hint: run {run.RunId} is queued, but DAG {dag.Id} is paused: it starts once the DAG is unpaused"
                : $"hint: run {run.RunId} is queued; a running 'weft scheduler' (or 'weft server') executes it. Follow it with 'weft runs show {run.RunId}'");
        }

        return ExitCodes.Success;
    }

    // The registered version is the one the scheduler will execute; a DAG not registered yet comes from the folder.
    private static async Task<DagDefinition> FindAsync(CliContext context, IStateStore store, string dagId, CancellationToken cancellationToken)
    {
        if (await store.GetDagAsync(dagId, cancellationToken).ConfigureAwait(false) is { } record
            && DagLoader.LoadText(record.Source, record.FilePath ?? dagId + ".yaml").Dag is { } registered)
        {
            return registered;
        }

        if (File.Exists(dagId) || Directory.Exists(dagId))
        {
            throw CliException.Usage($"'{dagId}' is a path; 'dags trigger' takes a DAG id", "put the file in the DAGs folder, or run it directly with 'weft run FILE'");
        }

        return DagTargets.Load(context, dagId);
    }
}
