using Weft.Core.Dags;
using Weft.Core.Diagnostics;

namespace Weft.Engine.Operations;

internal sealed partial class OperatorActions
{
    /// <summary>
    /// Warnings for tasks that name a pool the database does not have. Not an error: such tasks still run (a
    /// missing pool gets the default size), but a typo in a pool name would otherwise go unnoticed.
    /// </summary>
    public async Task<IReadOnlyList<Diagnostic>> PoolWarningsAsync(DagDefinition dag, CancellationToken cancellationToken)
    {
        var pools = (await store.ListPoolsAsync(cancellationToken).ConfigureAwait(false)).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var warnings = new List<Diagnostic>();
        foreach (var task in dag.Tasks)
        {
            if (!pools.Contains(task.Pool))
            {
                var near = Weft.Core.Definitions.NameSuggester.Hint(task.Pool, pools);
                warnings.Add(Diagnostic.Warning(
                    task.PositionOf("pool"),
                    $"task '{task.Id}' is in pool '{task.Pool}', which does not exist{near}; it runs with the default pool size until 'weft pools set {task.Pool} SLOTS' creates it"));
            }
        }

        return warnings;
    }
}
