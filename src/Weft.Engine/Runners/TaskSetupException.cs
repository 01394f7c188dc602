namespace Weft.Engine.Runners;

/// <summary>
/// An attempt that cannot start (an unknown secret, a missing script or working directory). Runners turn it
/// into a failed result whose reason is the message, so it never escapes a runner.
/// </summary>
internal sealed class TaskSetupException(string message) : Exception(message);
