namespace Weft.Engine.Execution;

/// <summary>Unwinds a run's loop to its top after the run was claimed again in a changed state.</summary>
internal sealed class RebasedException : Exception
{
}
