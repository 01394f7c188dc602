namespace Weft.Core.Scheduling;

/// <summary><c>@once</c>: a single run, at <c>start_date</c>.</summary>
internal sealed class OnceSchedule(string text) : Schedule(text);
