namespace Weft.Engine.Runners.Processes.Native;

/// <summary>
/// <see cref="ProcessRunner"/> on Linux: posix_spawn, then the <see cref="ChildReactor"/> reports the exit and reads
/// the output. The runtime's SIGCHLD handling and its threads take no part.
/// </summary>
internal static class NativeProcessRunner
{
    /// <summary>Runs the program to its end, or kills it when <paramref name="cancellationToken"/> fires.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The program could not be started.</exception>
    public static async Task<ProcessExit> RunAsync(ProcessSpec spec, ITaskLog log, Action<Storage.ProcessIdentity>? started, CancellationToken cancellationToken)
    {
        var child = Spawner.Start(spec, log);
        started?.Invoke(ProcessRunner.Identity(child.Pid, child.OwnsGroup));
        var cancelled = false;
        int exitCode;
        try
        {
            exitCode = await child.Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
            Kill(child);
            try
            {
                exitCode = await child.Exited.WaitAsync(ProcessRunner.KillWaitLimit, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                log.WriteLine("weft", $"process {child.Pid} did not exit {ProcessRunner.KillWaitLimit.TotalSeconds:0}s after SIGKILL");
                exitCode = 137;
            }
        }

        // The reactor killed the group (if the child led one) before it reaped the child: background children
        // would otherwise run on unowned and keep the output pipes, and so this attempt, open.
        if (!child.OutputClosed.IsCompleted)
        {
            try
            {
                await child.OutputClosed.WaitAsync(ProcessRunner.DrainLimit, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                log.WriteLine("weft", "a process outside the task's group still holds its output open; not waiting for it");
                Spawner.Abandon(child);
            }
        }

        return new ProcessExit(exitCode, cancelled);
    }

    private static void Kill(ChildProcess child)
    {
        if (child.Exited.IsCompleted)
        {
            return;
        }

        // Freeze the tree before killing it: a stopped process cannot fork, so walking /proc again until it finds
        // no one new catches the children that were being forked during a walk. Parents still link their children
        // while stopped (the walk also finds descendants that moved to a session of their own). Then SIGKILL: the
        // main process first, so that it cannot go on when its children vanish; the group last, for children
        // already adopted by init.
        Libc.Kill(child.Pid, Libc.SIGSTOP);
        var tree = new List<int>();
        var seen = new HashSet<int>();
        for (var round = 0; round < 16; round++)
        {
            var fresh = ProcessTree.Descendants(child.Pid).Where(seen.Add).ToList();
            if (fresh.Count == 0)
            {
                break;
            }

            foreach (var pid in fresh)
            {
                Libc.Kill(pid, Libc.SIGSTOP);
            }

            tree.AddRange(fresh);
        }

        if (!child.Exited.IsCompleted)
        {
            Libc.Kill(child.Pid, Libc.SIGKILL);
        }

        foreach (var pid in tree)
        {
            Libc.Kill(pid, Libc.SIGKILL);
        }

        if (child.OwnsGroup && !child.Exited.IsCompleted)
        {
            Libc.Kill(-child.Pid, Libc.SIGKILL);
        }
    }
}
