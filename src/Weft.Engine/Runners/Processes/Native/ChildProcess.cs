namespace Weft.Engine.Runners.Processes.Native;

/// <summary>
/// A child started by <see cref="Spawner"/> and watched by the <see cref="ChildReactor"/>: its pid file descriptor
/// and the read ends of its stdout and stderr pipes. Every field but the tasks is touched by the reactor thread only.
/// </summary>
internal sealed class ChildProcess
{
    // Continuations go to the thread pool: what follows an exit (the attempt's result, a database commit, the
    // engine's next start, whose posix_spawn blocks until the child has exec'd) must not hold up the one thread
    // that reports every other child's exit and output. Measured: inline continuations were slower at parallelism 2.
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _exitCode = -1;
    private bool _exitPending;
    private bool _outputPending;

    public ChildProcess(int pid, int pidFd, int stdoutFd, int stderrFd, bool ownsGroup, ITaskLog log)
    {
        Pid = pid;
        PidFd = pidFd;
        OwnsGroup = ownsGroup;
        Streams = [new OutputStream(stdoutFd, new LineSplitter("stdout", log)), new OutputStream(stderrFd, new LineSplitter("stderr", log))];
    }

    public int Pid { get; }

    /// <summary>The child leads a session and process group of its own (whose id is <see cref="Pid"/>).</summary>
    public bool OwnsGroup { get; }

    /// <summary>Completes with the exit code (128+N for signal N) once the child is reaped.</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>Completes when both output pipes reached their end (or were given up).</summary>
    public Task OutputClosed => _outputClosed.Task;

    /// <summary>The reactor's key for this child; set when registered.</summary>
    internal ulong Key { get; set; }

    internal int PidFd { get; set; }

    internal OutputStream[] Streams { get; }

    /// <summary>The reactor reaped the child; the task completes at the end of the reactor's batch.</summary>
    internal void SetExited(int exitCode)
    {
        _exitCode = exitCode;
        _exitPending = true;
    }

    /// <summary>One pipe reached its end; when both have, the output task completes at the end of the batch.</summary>
    internal void StreamClosed()
    {
        if (Streams[0].Fd < 0 && Streams[1].Fd < 0)
        {
            _outputPending = true;
        }
    }

    /// <summary>
    /// Completes what the batch decided, the output first: an awaiter of the exit then usually finds the output
    /// already drained and goes on without another wait.
    /// </summary>
    internal void Publish()
    {
        if (_outputPending)
        {
            _outputPending = false;
            _outputClosed.TrySetResult();
        }

        if (_exitPending)
        {
            _exitPending = false;
            _exited.TrySetResult(_exitCode);
        }
    }

    /// <summary>The read end of one output pipe and the lines it is cut into.</summary>
    internal sealed class OutputStream(int fd, LineSplitter lines)
    {
        public int Fd { get; set; } = fd;
        public LineSplitter Lines { get; } = lines;
    }
}
