using System.Runtime.InteropServices;

namespace Weft.Cli.Running;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM for <c>weft run</c>: the first one asks the run to stop cleanly (its attempts are
/// killed and recorded as interrupted, the run stays resumable); a second one, while stopping, ends the process the
/// default way. Installed as the process starts, so a signal that arrives before the run is under way is not lost
/// to the default handler, which would end the process at once and leave a resumed run's tasks unreaped.
/// </summary>
internal static class RunInterrupts
{
    private static readonly CancellationTokenSource Interrupt = new();
    private static readonly Lock Gate = new();
    private static PosixSignalRegistration? _sigint;
    private static PosixSignalRegistration? _sigterm;
    private static int _exitCode = 130;

    /// <summary>Cancelled by the first signal.</summary>
    public static CancellationToken Token => Interrupt.Token;

    /// <summary>128 + the signal's number, as shells report it: 130 for SIGINT, 143 for SIGTERM.</summary>
    public static int ExitCode => Volatile.Read(ref _exitCode);

    /// <summary>Starts listening (once per process).</summary>
    public static void Install()
    {
        lock (Gate)
        {
            _sigint ??= PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            _sigterm ??= PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        }
    }

    private static void OnSignal(PosixSignalContext signal)
    {
        if (Interrupt.IsCancellationRequested)
        {
            return;
        }

        signal.Cancel = true;
        Volatile.Write(ref _exitCode, signal.Signal == PosixSignal.SIGTERM ? 143 : 130);
        Interrupt.Cancel();
    }
}
