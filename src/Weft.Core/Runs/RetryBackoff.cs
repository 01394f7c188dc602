namespace Weft.Core.Runs;

/// <summary>How the delay between attempts grows.</summary>
public enum RetryBackoff
{
    /// <summary>Always <c>retry_delay</c>.</summary>
    Fixed,
    /// <summary><c>retry_delay</c> times the attempt number.</summary>
    Linear,
    /// <summary><c>retry_delay</c> doubled each attempt.</summary>
    Exponential,
}
