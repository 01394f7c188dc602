using System.Runtime.InteropServices;

namespace Weft.Engine.Runners.Processes.Native;

/// <summary>
/// One thread that waits, with epoll, on every child's pid file descriptor and output pipes. A readable pidfd means
/// the child exited: the reactor kills the child's group while the zombie still holds the group id, reaps that one pid
/// with waitpid (never -1: the runtime reaps the children it started itself), and completes the child's exit task.
/// Readable pipes are read on the same thread and cut into log lines. Only this thread closes the descriptors it
/// watches, so a number is never reused while an event for it may still be pending.
/// </summary>
internal sealed unsafe class ChildReactor
{
    private const int MaxEvents = 64;
    private const int ReadBufferSize = 64 * 1024;
    private const ulong WakeKey = 0;
    private const int PidFdKind = 0;

    private readonly int _epoll;
    private readonly int _wake;
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, ChildProcess> _children = [];
    private readonly List<ChildProcess> _abandoned = [];
    private ulong _nextKey;

    private ChildReactor(int epoll, int wake)
    {
        _epoll = epoll;
        _wake = wake;
        var thread = new Thread(Loop) { IsBackground = true, Name = "weft child reactor" };
        thread.Start();
    }

    /// <summary>Creates the epoll set and starts the thread; null when the system lacks what it needs.</summary>
    public static ChildReactor? TryCreate()
    {
        var epoll = Libc.EpollCreate1(Libc.EPOLL_CLOEXEC);
        if (epoll < 0)
        {
            return null;
        }

        var wake = Libc.EventFd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (wake < 0 || !Add(epoll, wake, WakeKey))
        {
            Libc.CloseFd(epoll);
            return null;
        }

        return new ChildReactor(epoll, wake);
    }

    /// <summary>Starts watching a child just spawned; its events may arrive before this returns.</summary>
    /// <exception cref="InvalidOperationException">epoll refused a descriptor (out of memory or a limit).</exception>
    public void Register(ChildProcess child)
    {
        lock (_lock)
        {
            child.Key = ++_nextKey << 2;
            _children.Add(child.Key, child);
        }

        var ok = Add(_epoll, child.PidFd, child.Key | PidFdKind)
            && Add(_epoll, child.Streams[0].Fd, child.Key | 1)
            && Add(_epoll, child.Streams[1].Fd, child.Key | 2);
        if (!ok)
        {
            var errno = Marshal.GetLastPInvokeError();
            // The process runs without a watcher; the caller kills it. The descriptors are closed by the reactor
            // so that no event for a reused number can reach another child.
            Abandon(child, alsoExit: true);
            throw new InvalidOperationException($"cannot watch process {child.Pid}: errno {errno}");
        }
    }

    /// <summary>
    /// Stops reading the child's output (a process outside its group still holds the pipes); the reactor closes them
    /// and completes <see cref="ChildProcess.OutputClosed"/>.
    /// </summary>
    public void Abandon(ChildProcess child) => Abandon(child, alsoExit: false);

    private void Abandon(ChildProcess child, bool alsoExit)
    {
        lock (_lock)
        {
            _abandoned.Add(child);
            if (alsoExit)
            {
                _children.Remove(child.Key);
            }
        }

        ulong one = 1;
        Libc.Write(_wake, (byte*)&one, sizeof(ulong));
    }

    private static bool Add(int epoll, int fd, ulong key)
    {
        var ev = stackalloc byte[16];
        *(uint*)ev = Libc.EPOLLIN;
        *(ulong*)(ev + Libc.EpollDataOffset) = key;
        return Libc.EpollCtl(epoll, Libc.EPOLL_CTL_ADD, fd, ev) == 0;
    }

    private void Remove(int fd) => Libc.EpollCtl(_epoll, Libc.EPOLL_CTL_DEL, fd, null);

    private void Loop()
    {
        var eventSize = Libc.EpollEventSize;
        var dataOffset = Libc.EpollDataOffset;
        var events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * eventSize));
        var buffer = (byte*)NativeMemory.Alloc(ReadBufferSize);
        var batch = new List<ChildProcess>();
        while (true)
        {
            var count = Libc.EpollWait(_epoll, events, MaxEvents, -1);
            if (count < 0)
            {
                // EINTR (a debugger, a stop signal); nothing else can fail on a valid epoll descriptor.
                continue;
            }

            for (var i = 0; i < count; i++)
            {
                var key = *(ulong*)(events + i * eventSize + dataOffset);
                try
                {
                    if (key == WakeKey)
                    {
                        ulong value;
                        Libc.Read(_wake, (byte*)&value, sizeof(ulong));
                        CloseAbandoned(batch);
                        continue;
                    }

                    ChildProcess? child;
                    lock (_lock)
                    {
                        _children.TryGetValue(key & ~3UL, out child);
                    }

                    if (child is null)
                    {
                        continue;
                    }

                    var kind = (int)(key & 3);
                    if (kind == PidFdKind ? OnExit(child) : OnOutput(child, child.Streams[kind - 1], buffer))
                    {
                        batch.Add(child);
                    }
                }
                catch (Exception)
                {
                    // A log that cannot be written must not stop the thread every child depends on.
                }
            }

            // Completions last, so that a child whose exit and pipe ends arrive in one batch is reported once,
            // its output already drained.
            foreach (var child in batch)
            {
                try
                {
                    child.Publish();
                }
                catch (Exception)
                {
                    // Continuations report their own failures through their tasks.
                }
            }

            batch.Clear();
        }
    }

    private bool OnExit(ChildProcess child)
    {
        if (child.PidFd < 0)
        {
            return false;
        }

        // The zombie keeps the group id reserved, so the group kill cannot reach a newcomer that reused the id.
        if (child.OwnsGroup)
        {
            Libc.Kill(-child.Pid, Libc.SIGKILL);
        }

        int status;
        var reaped = Libc.WaitPid(child.Pid, &status, Libc.WNOHANG);
        if (reaped == 0)
        {
            return false;
        }

        // -1 (ECHILD): something reaped it first, as the runtime does for every child when the engine was started
        // with SIGCHLD ignored; the exit status is lost.
        var exitCode = reaped == child.Pid ? Libc.ExitCode(status) : 255;
        Remove(child.PidFd);
        Libc.CloseFd(child.PidFd);
        child.PidFd = -1;
        if (child.Streams[0].Fd < 0 && child.Streams[1].Fd < 0)
        {
            Forget(child);
        }

        child.SetExited(exitCode);
        return true;
    }

    private bool OnOutput(ChildProcess child, ChildProcess.OutputStream stream, byte* buffer)
    {
        if (stream.Fd < 0)
        {
            return false;
        }

        var read = Libc.Read(stream.Fd, buffer, ReadBufferSize);
        if (read > 0)
        {
            stream.Lines.Write(new ReadOnlySpan<byte>(buffer, (int)read));
            return false;
        }

        if (read < 0 && Marshal.GetLastPInvokeError() is Libc.EINTR or Libc.EAGAIN)
        {
            return false;
        }

        CloseStream(child, stream);
        return true;
    }

    private void CloseStream(ChildProcess child, ChildProcess.OutputStream stream)
    {
        Remove(stream.Fd);
        Libc.CloseFd(stream.Fd);
        stream.Fd = -1;
        child.StreamClosed();
        if (child.PidFd < 0 && child.Streams[0].Fd < 0 && child.Streams[1].Fd < 0)
        {
            Forget(child);
        }

        try
        {
            stream.Lines.Complete();
        }
        catch (Exception)
        {
            // A log that cannot take the last line must not leave the stream looking open.
        }
    }

    private void CloseAbandoned(List<ChildProcess> batch)
    {
        ChildProcess[] abandoned;
        lock (_lock)
        {
            abandoned = [.. _abandoned];
            _abandoned.Clear();
        }

        foreach (var child in abandoned)
        {
            foreach (var stream in child.Streams)
            {
                if (stream.Fd >= 0)
                {
                    CloseStream(child, stream);
                }
            }

            // A child that was never watched: its pidfd goes too, and it is reaped when it can be.
            if (child.PidFd >= 0 && !IsWatched(child))
            {
                Remove(child.PidFd);
                Libc.CloseFd(child.PidFd);
                child.PidFd = -1;
            }

            batch.Add(child);
        }
    }

    private bool IsWatched(ChildProcess child)
    {
        lock (_lock)
        {
            return _children.ContainsKey(child.Key);
        }
    }

    private void Forget(ChildProcess child)
    {
        lock (_lock)
        {
            _children.Remove(child.Key);
        }
    }
}
