namespace Weft.Core.Dags;

/// <summary>
/// A task's <c>circuit_breaker</c>: after <see cref="Failures"/> consecutive failed attempts of the tasks sharing
/// <see cref="Name"/> (in any DAG, run or process), their new attempts wait out <see cref="Cooldown"/> instead of
/// starting; then one attempt probes: its success closes the breaker, its failure opens it again.
/// </summary>
public sealed record CircuitBreakerDefinition(string Name, int Failures, TimeSpan Cooldown);
