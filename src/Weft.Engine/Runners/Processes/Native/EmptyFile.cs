using System.Runtime.InteropServices;
using System.Text;

namespace Weft.Engine.Runners.Processes.Native;

/// <summary>
/// Creates or truncates a file with one open(2) call. The runtime's <see cref="File.OpenHandle"/> adds an fstatfs,
/// two flocks and an ftruncate, which every attempt would pay for its empty <c>$WEFT_OUTPUT</c> file.
/// </summary>
internal static unsafe class EmptyFile
{
    /// <summary>Creates the file (mode 0666 less the umask) or empties it; false when its folder does not exist.</summary>
    /// <exception cref="IOException">Any other failure.</exception>
    public static bool TryCreate(string path)
    {
        var size = Encoding.UTF8.GetMaxByteCount(path.Length) + 1;
        var bytes = size <= 1024 ? stackalloc byte[size] : new byte[size];
        var length = Encoding.UTF8.GetBytes(path, bytes);
        bytes[length] = 0;
        int fd;
        fixed (byte* p = bytes)
        {
            fd = Libc.Open(p, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_TRUNC | Libc.O_CLOEXEC, 0b110_110_110);
        }

        if (fd >= 0)
        {
            Libc.CloseFd(fd);
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == Libc.ENOENT
            ? false
            : throw new IOException($"cannot create {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }
}
