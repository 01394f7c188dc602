using System.Security.Cryptography;

namespace Weft.Engine.Secrets;

/// <summary>
/// The 256-bit key that encrypts secrets at rest: <c>HOME/secrets.key</c>, created on first use with mode 0600
/// (owner read/write only), or the key in <c>WEFT_SECRET_KEY</c> when that is set. Losing the key makes the stored
/// secrets unreadable.
/// </summary>
internal static class SecretKeyFile
{
    /// <summary>The variable that, when set, holds the key (base64 or 64 hex digits) instead of the file.</summary>
    public const string Variable = "WEFT_SECRET_KEY";

    /// <summary>The key's length in bytes.</summary>
    public const int KeyBytes = 32;

    /// <summary>The key file's path under a Weft home folder.</summary>
    public static string PathUnder(string home) => System.IO.Path.Combine(home, "secrets.key");

    /// <summary>Reads the key, creating it when the file does not exist.</summary>
    /// <exception cref="InvalidDataException">The file exists but does not hold a 256-bit key.</exception>
    public static async Task<byte[]> LoadOrCreateAsync(string home, CancellationToken cancellationToken)
    {
        if (FromEnvironment() is { } given)
        {
            return given;
        }

        var path = PathUnder(home);
        if (!File.Exists(path))
        {
            HomeFolder.Ensure(home);
            var key = RandomNumberGenerator.GetBytes(KeyBytes);
            try
            {
                // CreateNew with the mode set at creation: the key is never readable by others, not even briefly.
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                await using (var stream = new FileStream(path, options))
                {
                    await stream.WriteAsync(key, cancellationToken).ConfigureAwait(false);
                    await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                return key;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use theirs.
            }
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        if (bytes.Length != KeyBytes)
        {
            throw new InvalidDataException($"the secret key file {path} does not hold a {KeyBytes * 8}-bit key ({bytes.Length} bytes)");
        }

        return bytes;
    }

    /// <summary>The key given in <c>WEFT_SECRET_KEY</c>, or null when the variable is not set.</summary>
    /// <exception cref="InvalidDataException">The variable is set but does not hold a 256-bit key.</exception>
    private static byte[]? FromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(Variable)?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        byte[]? key = null;
        if (text.Length == KeyBytes * 2 && text.All(char.IsAsciiHexDigit))
        {
            key = Convert.FromHexString(text);
        }
        else
        {
            var buffer = new byte[text.Length];
            if (Convert.TryFromBase64String(text, buffer, out var written) && written == KeyBytes)
            {
                key = buffer[..KeyBytes];
            }
        }

        return key ?? throw new InvalidDataException(
            $"{Variable} does not hold a {KeyBytes * 8}-bit key; give {KeyBytes} random bytes as base64 (openssl rand -base64 {KeyBytes}) or as {KeyBytes * 2} hex digits");
    }
}
