using System.Collections;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

namespace Weft.Engine.Runners.Processes.Native;

/// <summary>
/// Starts programs on Linux with posix_spawn (a vfork-style clone, no copy of the engine's memory map) and hands
/// them to the <see cref="ChildReactor"/>. The child gets /dev/null as stdin, a pipe each for stdout and stderr, the
/// attempt's folder, an empty signal mask and every signal at its default action (the runtime ignores SIGPIPE and
/// handles others; a child of bash or make would see neither), and, when asked, a session of its own.
/// </summary>
internal static unsafe class Spawner
{
    private static readonly Lazy<State?> Shared = new(State.TryCreate);

    /// <summary>Whether this system can use the launcher (Linux, glibc, pidfd_open); decided once.</summary>
    public static bool IsAvailable => Shared.Value is not null;

    /// <summary>Starts the program and watches it.</summary>
    /// <exception cref="Win32Exception">posix_spawn failed: no such file, not executable, no exec format.</exception>
    /// <exception cref="InvalidOperationException">The launcher is not available.</exception>
    public static ChildProcess Start(ProcessSpec spec, ITaskLog log)
    {
        var state = Shared.Value ?? throw new InvalidOperationException("the native launcher is not available on this system");
        var block = Layout(spec, state.Environment, out var path, out var argv, out var envp, out var directory);
        int* stdoutPipe = stackalloc int[2];
        int* stderrPipe = stackalloc int[2];
        stdoutPipe[0] = stdoutPipe[1] = stderrPipe[0] = stderrPipe[1] = -1;
        var actions = stackalloc byte[Libc.FileActionsSize];
        var actionsReady = false;
        int pid;
        int error;
        try
        {
            if (Libc.Pipe2(stdoutPipe, Libc.O_CLOEXEC) != 0 || Libc.Pipe2(stderrPipe, Libc.O_CLOEXEC) != 0)
            {
                throw new Win32Exception(Marshal.GetLastPInvokeError());
            }

            Libc.Check(Libc.FileActionsInit(actions));
            actionsReady = true;
            Libc.Check(Libc.FileActionsAddDup2(actions, state.DevNull, 0));
            Libc.Check(Libc.FileActionsAddDup2(actions, stdoutPipe[1], 1));
            Libc.Check(Libc.FileActionsAddDup2(actions, stderrPipe[1], 2));
            Libc.Check(Libc.FileActionsAddChdir(actions, directory));
            error = Libc.PosixSpawn(out pid, path, actions, spec.NewSession ? state.SessionAttr : state.PlainAttr, argv, envp);
        }
        catch
        {
            CloseAll(stdoutPipe, stderrPipe);
            throw;
        }
        finally
        {
            if (actionsReady)
            {
                _ = Libc.FileActionsDestroy(actions);
            }

            NativeMemory.Free(block);
            // The child has its copies; the parent keeps the read ends only.
            CloseIfOpen(ref stdoutPipe[1]);
            CloseIfOpen(ref stderrPipe[1]);
        }

        if (error != 0)
        {
            CloseAll(stdoutPipe, stderrPipe);
            throw new Win32Exception(error, $"cannot start '{spec.FileName}': {new Win32Exception(error).Message}");
        }

        var pidFd = Libc.PidfdOpen(pid);
        if (pidFd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            CloseAll(stdoutPipe, stderrPipe);
            KillAndReap(pid);
            throw new InvalidOperationException($"pidfd_open({pid}) failed: errno {errno}");
        }

        var child = new ChildProcess(pid, pidFd, stdoutPipe[0], stderrPipe[0], spec.NewSession, log);
        try
        {
            state.Reactor.Register(child);
        }
        catch (InvalidOperationException)
        {
            KillAndReap(pid);
            throw;
        }

        return child;
    }

    /// <summary>Stops reading the child's output; see <see cref="ChildReactor.Abandon"/>.</summary>
    public static void Abandon(ChildProcess child) => Shared.Value?.Reactor.Abandon(child);

    private static void KillAndReap(int pid)
    {
        Libc.Kill(pid, Libc.SIGKILL);
        int status;
        Libc.WaitPid(pid, &status, 0);
    }

    private static void CloseAll(int* stdoutPipe, int* stderrPipe)
    {
        for (var i = 0; i < 2; i++)
        {
            CloseIfOpen(ref stdoutPipe[i]);
            CloseIfOpen(ref stderrPipe[i]);
        }
    }

    private static void CloseIfOpen(ref int fd)
    {
        if (fd >= 0)
        {
            Libc.CloseFd(fd);
            fd = -1;
        }
    }

    /// <summary>
    /// Lays out the path, argv, envp and folder as C strings in one unmanaged block: the pointer arrays first, then
    /// the strings. Engine variables the attempt overrides are left out; the rest point into the cached copy.
    /// </summary>
    private static byte* Layout(ProcessSpec spec, List<(string Name, nint Entry)> baseEnvironment,
        out byte* path, out byte** argv, out byte** envp, out byte* directory)
    {
        var added = spec.Environment;
        var argc = spec.Arguments.Count + 1;
        var envCount = added.Count;
        foreach (var (name, _) in baseEnvironment)
        {
            if (!added.ContainsKey(name))
            {
                envCount++;
            }
        }

        var textBytes = Size(spec.FileName) + Size(spec.WorkingDirectory);
        foreach (var argument in spec.Arguments)
        {
            textBytes += Size(argument);
        }

        foreach (var (name, value) in added)
        {
            textBytes += Encoding.UTF8.GetByteCount(name) + 1 + Size(value);
        }

        var pointerBytes = (argc + 1 + envCount + 1) * sizeof(nint);
        var block = (byte*)NativeMemory.Alloc((nuint)(pointerBytes + textBytes));
        argv = (byte**)block;
        envp = argv + argc + 1;
        var text = block + pointerBytes;
        var end = block + pointerBytes + textBytes;

        path = text;
        text = Put(spec.FileName, text, end);
        argv[0] = path;
        for (var i = 0; i < spec.Arguments.Count; i++)
        {
            argv[i + 1] = text;
            text = Put(spec.Arguments[i], text, end);
        }

        argv[argc] = null;
        var e = 0;
        foreach (var (name, entry) in baseEnvironment)
        {
            if (!added.ContainsKey(name))
            {
                envp[e++] = (byte*)entry;
            }
        }

        foreach (var (name, value) in added)
        {
            envp[e++] = text;
            text += Encoding.UTF8.GetBytes(name, new Span<byte>(text, (int)(end - text)));
            *text++ = (byte)'=';
            text = Put(value, text, end);
        }

        envp[e] = null;
        directory = text;
        Put(spec.WorkingDirectory, text, end);
        return block;
    }

    private static int Size(string text) => Encoding.UTF8.GetByteCount(text) + 1;

    private static byte* Put(string value, byte* at, byte* end)
    {
        var written = Encoding.UTF8.GetBytes(value, new Span<byte>(at, (int)(end - at)));
        at[written] = 0;
        return at + written + 1;
    }

    /// <summary>What every spawn shares: the reactor, /dev/null, the two attribute sets and the environment.</summary>
    private sealed class State
    {
        private State(ChildReactor reactor, int devNull, void* plainAttr, void* sessionAttr, List<(string, nint)> environment)
        {
            Reactor = reactor;
            DevNull = devNull;
            PlainAttr = plainAttr;
            SessionAttr = sessionAttr;
            Environment = environment;
        }

        public ChildReactor Reactor { get; }
        public int DevNull { get; }
        public void* PlainAttr { get; }
        public void* SessionAttr { get; }
        public List<(string Name, nint Entry)> Environment { get; }

        public static State? TryCreate()
        {
            if (!OperatingSystem.IsLinux()
                || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
            {
                return null;
            }

            try
            {
                // pidfd_open needs Linux 5.3; a container's seccomp filter may also refuse it (ENOSYS or EPERM).
                var probe = Libc.PidfdOpen(Libc.GetPid());
                if (probe < 0)
                {
                    return null;
                }

                Libc.CloseFd(probe);
                ProbeChdirAction();
                var devNull = OpenDevNull();
                if (devNull < 0)
                {
                    return null;
                }

                var reactor = ChildReactor.TryCreate();
                if (reactor is null)
                {
                    Libc.CloseFd(devNull);
                    return null;
                }

                return new State(reactor, devNull, CreateAttr(newSession: false), CreateAttr(newSession: true), CaptureEnvironment());
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or Win32Exception)
            {
                // Not glibc (or one older than 2.29, without addchdir_np): the runtime's Process does the work.
                return null;
            }
        }

        /// <summary>Throws <see cref="EntryPointNotFoundException"/> before glibc 2.29.</summary>
        private static void ProbeChdirAction()
        {
            var actions = stackalloc byte[Libc.FileActionsSize];
            Libc.Check(Libc.FileActionsInit(actions));
            fixed (byte* root = "/\0"u8)
            {
                Libc.Check(Libc.FileActionsAddChdir(actions, root));
            }

            _ = Libc.FileActionsDestroy(actions);
        }

        private static int OpenDevNull()
        {
            fixed (byte* path = "/dev/null\0"u8)
            {
                return Libc.Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
            }
        }

        /// <summary>An attribute set that lives as long as the process; posix_spawn only reads it.</summary>
        private static void* CreateAttr(bool newSession)
        {
            var attr = NativeMemory.AllocZeroed(Libc.SpawnAttrSize);
            var signals = stackalloc byte[Libc.SigSetSize];
            Libc.Check(Libc.SpawnAttrInit(attr));
            Libc.Check(Libc.SigEmptySet(signals));
            Libc.Check(Libc.SpawnAttrSetSigMask(attr, signals));
            // Every signal at its default action: glibc leaves out its own internal ones.
            Libc.Check(Libc.SigFillSet(signals));
            Libc.Check(Libc.SpawnAttrSetSigDefault(attr, signals));
            var flags = (short)(Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETSIGDEF | (newSession ? Libc.POSIX_SPAWN_SETSID : 0));
            Libc.Check(Libc.SpawnAttrSetFlags(attr, flags));
            return attr;
        }

        /// <summary>
        /// The engine's variables, as <see cref="System.Environment"/> sees them (changes made through it count),
        /// copied once into memory that is never freed.
        /// </summary>
        private static List<(string, nint)> CaptureEnvironment()
        {
            var result = new List<(string, nint)>();
            foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
            {
                var name = (string)entry.Key;
                var value = (string?)entry.Value ?? string.Empty;
                var size = Encoding.UTF8.GetByteCount(name) + 1 + Size(value);
                var text = (byte*)NativeMemory.Alloc((nuint)size);
                var at = text + Encoding.UTF8.GetBytes(name, new Span<byte>(text, size));
                *at++ = (byte)'=';
                Put(value, at, text + size);
                result.Add((name, (nint)text));
            }

            return result;
        }
    }
}
