using System.Diagnostics;
using System.Text;

namespace Weft.Engine.Runners.Processes;

/// <summary>
/// The portable way (<see cref="Process"/>, the fallback off Linux or without pidfd_open): starts a program, copies its stdout and stderr to the attempt's log line by line as they arrive, and waits for
/// it. On cancellation it kills the whole tree: the descendants it can still find, then the process group.
/// </summary>
internal static class DotNetProcessRunner
{
    private static readonly TimeSpan DrainLimit = ProcessRunner.DrainLimit;
    private static readonly TimeSpan KillWaitLimit = ProcessRunner.KillWaitLimit;
    private static readonly Encoding Utf8 = new UTF8Encoding(false);

    /// <summary>Runs the program to its end, or kills it when <paramref name="cancellationToken"/> fires.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The program could not be started.</exception>
    public static async Task<ProcessExit> RunAsync(ProcessSpec spec, ITaskLog log, Action<Storage.ProcessIdentity>? started, CancellationToken cancellationToken)
    {
        var ownsGroup = spec.NewSession && ProcessGroups.SetsidPath is not null;
        using var process = new Process { StartInfo = CreateStartInfo(spec, ownsGroup) };
        process.Start();
        var pid = process.Id;
        started?.Invoke(ProcessRunner.Identity(pid, ownsGroup));

        // The task gets an empty stdin rather than the engine's terminal.
        process.StandardInput.Close();
        var stdout = PumpAsync(process.StandardOutput, "stdout", log);
        var stderr = PumpAsync(process.StandardError, "stderr", log);

        var cancelled = false;
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
            KillTree(process, pid, ownsGroup);
            try
            {
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(KillWaitLimit, CancellationToken.None);
            }
            catch (TimeoutException)
            {
                log.WriteLine("weft", $"process {pid} did not exit {KillWaitLimit.TotalSeconds:0}s after SIGKILL");
            }
        }

        // The attempt ends with its main process. Background children it left in its group would otherwise run
        // on unowned and keep the output pipes (and so this attempt) open.
        if (ownsGroup)
        {
            ProcessGroups.KillGroup(pid);
        }

        try
        {
            await Task.WhenAll(stdout, stderr).WaitAsync(DrainLimit, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            log.WriteLine("weft", "a process outside the task's group still holds its output open; not waiting for it");
        }

        return new ProcessExit(process.HasExited ? process.ExitCode : 137, cancelled);
    }

    private static ProcessStartInfo CreateStartInfo(ProcessSpec spec, bool viaSetsid)
    {
        var info = new ProcessStartInfo
        {
            FileName = viaSetsid ? ProcessGroups.SetsidPath! : spec.FileName,
            WorkingDirectory = spec.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
        };
        if (viaSetsid)
        {
            info.ArgumentList.Add(spec.FileName);
        }

        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in spec.Environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    private static void KillTree(Process process, int pid, bool ownsGroup)
    {
        // The tree walk first, while parents still link their children (it also reaches descendants that moved
        // to a session of their own); then the group, for children already adopted by init.
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exited while being killed.
        }

        if (ownsGroup)
        {
            ProcessGroups.KillGroup(pid);
        }
    }

    private static async Task PumpAsync(StreamReader reader, string stream, ITaskLog log)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                log.WriteLine(stream, line);
            }
        }
        catch (IOException)
        {
            // The pipe broke when the process was disposed; the attempt is over.
        }
        catch (ObjectDisposedException)
        {
            // Same, observed later.
        }
    }
}
