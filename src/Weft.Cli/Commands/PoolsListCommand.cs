using Weft.Cli.Running;
using Weft.Engine.Operations;

namespace Weft.Cli.Commands;

/// <summary><c>weft pools list</c>: every pool with its size and the slots running and queued tasks hold.</summary>
internal sealed class PoolsListCommand : WeftCommand
{
    public PoolsListCommand()
        : base("list", "List pools with their slots and how many are in use")
    {
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        await using var store = await StateStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        var pools = await new OperatorActions(store, TimeProvider.System).ListPoolsAsync(cancellationToken).ConfigureAwait(false);
        if (context.Json)
        {
            var items = pools.Select(p => new PoolJson(p.Name, p.Slots, p.OccupiedSlots, Math.Max(0, p.Slots - p.OccupiedSlots))).ToList();
            context.WriteJson(new PoolListJson(items, items.Count));
            return ExitCodes.Success;
        }

        RunsOutput.WriteTable(
            context.Out,
            ["pool", "slots", "occupied"],
            pools.Select(p => (IReadOnlyList<string>)[p.Name, p.Slots.ToString(), p.OccupiedSlots.ToString()]));
        return ExitCodes.Success;
    }

    internal sealed record PoolJson(string Name, int Slots, int OccupiedSlots, int OpenSlots);

    internal sealed record PoolListJson(IReadOnlyList<PoolJson> Pools, int TotalEntries);
}
