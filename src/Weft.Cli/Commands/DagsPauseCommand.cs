using System.CommandLine;
using System.Text.Json.Nodes;
using Weft.Cli.Running;
using Weft.Engine.Operations;
using Weft.Engine.Storage;

namespace Weft.Cli.Commands;

/// <summary>
/// <c>weft dags pause DAG</c> and <c>weft dags unpause DAG</c>: a paused DAG gets no scheduled runs. A DAG the
/// database does not know yet is registered from its file first, so the flag has a row to live on.
/// </summary>
internal sealed class DagsPauseCommand : WeftCommand
{
    private readonly bool _pause;

    private readonly Argument<string> _dagId = new("DAG") { Description = "The DAG's id" };

    public DagsPauseCommand(bool pause)
        : base(pause ? "pause" : "unpause", pause ? "Pause a DAG: the scheduler creates no runs for it" : "Unpause a DAG: the scheduler creates its runs again")
    {
        _pause = pause;
        Arguments.Add(_dagId);
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        await using var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        var entry = await DagsCatalog.FindAsync(context, store, context.ParseResult.GetRequiredValue(_dagId), cancellationToken).ConfigureAwait(false);
        var dagId = entry.DagId!;
        var now = DateTimeOffset.UtcNow;
        if (entry.Registered is null)
        {
            var file = Path.GetFullPath(entry.File!);
            context.WriteVerbose($"registering DAG '{dagId}' from {file}");
            var source = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            await store.UpsertDagAsync(DagRegistration.Record(entry.Definition!, source, file, _pause, now), cancellationToken).ConfigureAwait(false);
        }

        var was = entry.Registered?.IsPaused;
        if (!await store.SetPausedAsync(dagId, _pause, cancellationToken).ConfigureAwait(false))
        {
            throw new CliException(ExitCodes.Failed, $"no DAG '{dagId}' in the database");
        }

        if (was != _pause)
        {
            var batch = new StateBatch();
            batch.Events.Add(new EventRecord(0, now, _pause ? OperatorEvents.Paused : OperatorEvents.Unpaused, dagId, null, null, _pause ? "paused" : "unpaused"));
            await store.CommitAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        if (context.Json)
        {
            RunsOutput.WriteJson(context, new JsonObject { ["dag_id"] = dagId, ["is_paused"] = _pause });
        }
        else
        {
            var verb = _pause ? "paused" : "unpaused";
            context.WriteInfo(was == _pause ? $"DAG '{dagId}' was already {verb}" : $"{verb} DAG '{dagId}'");
        }

        return ExitCodes.Success;
    }
}
