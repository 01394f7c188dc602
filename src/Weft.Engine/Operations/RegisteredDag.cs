using Weft.Core.Dags;
using Weft.Engine.Storage;

namespace Weft.Engine.Operations;

/// <summary>A DAG as registered in the database, with the definition parsed from the registered source.</summary>
internal sealed record RegisteredDag(DagRecord Record, DagDefinition Definition)
{
    public string Id => Definition.Id;
}
