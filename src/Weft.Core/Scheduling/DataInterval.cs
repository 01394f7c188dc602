namespace Weft.Core.Scheduling;

/// <summary>
/// The span of time a run covers: from one schedule tick to the next. The run's logical date
/// is <see cref="Start"/> and it becomes due at <see cref="End"/>. Both are UTC instants.
/// </summary>
/// <param name="Start">The first instant covered; the run's logical date.</param>
/// <param name="End">The end of the interval, when the run may start; equal to <see cref="Start"/> for <c>@once</c>.</param>
public sealed record DataInterval(DateTimeOffset Start, DateTimeOffset End);
