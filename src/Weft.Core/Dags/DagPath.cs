using System.Collections.Immutable;

namespace Weft.Core.Dags;

/// <summary>A path through a <see cref="DagGraph"/>: task indices from a root to a leaf, and its total weight.</summary>
public sealed record DagPath(ImmutableArray<int> Tasks, double Length);
