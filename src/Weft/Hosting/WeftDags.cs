using Weft.Core.Dags;

namespace Weft.Hosting;

/// <summary>The DAGs the host built in C# and added with <see cref="WeftBuilder.AddDag"/>.</summary>
internal sealed class WeftDags(IReadOnlyList<DagDefinition> dags)
{
    public IReadOnlyList<DagDefinition> All { get; } = dags;

    public DagDefinition? Find(string dagId) => All.FirstOrDefault(d => d.Id == dagId);
}
