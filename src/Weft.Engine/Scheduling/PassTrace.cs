using System.Diagnostics;
using System.Text;

namespace Weft.Engine.Scheduling;

/// <summary>
/// Where a pass spent its time, by phase, for WEFT_SCHEDULER_TRACE=1; also how late the pass began after the
/// instant it was meant to wake at. Does nothing when tracing is off.
/// </summary>
internal sealed class PassTrace(bool enabled)
{
    private readonly StringBuilder _phases = new();
    private long _last;

    public bool Enabled { get; } = enabled;

    /// <summary>Starts a pass, <paramref name="late"/> after the instant the loop meant to wake at.</summary>
    public void Begin(TimeSpan late)
    {
        if (Enabled)
        {
            _phases.Clear();
            _phases.Append("woke +").Append(late.TotalMilliseconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
            _last = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Ends the phase under way, naming it.</summary>
    public void Mark(string phase)
    {
        if (!Enabled)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        _phases.Append(", ").Append(phase).Append(' ')
            .Append(Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
        _last = now;
    }

    public override string ToString() => _phases.ToString();
}
