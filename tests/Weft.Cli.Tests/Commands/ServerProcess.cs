using System.Text.RegularExpressions;
using Weft.Cli.Tests.EngineRuns;

namespace Weft.Cli.Tests.Commands;

/// <summary>
/// A real <c>weft server</c> process in a folder (a <see cref="BackgroundWeft"/>): it can be sent SIGTERM and is
/// killed on dispose if it is still running.
/// </summary>
internal sealed partial class ServerProcess(string workingDirectory, params string[] args) : IDisposable
{
    private readonly BackgroundWeft _weft = new(workingDirectory, ["server", .. args]);

    /// <summary>Everything printed so far, for assertion messages.</summary>
    public string Output => _weft.Output;

    /// <summary>Waits for the first-start line <c>  URL/#token=TOKEN</c>; returns the base URL and the token.</summary>
    public async Task<(Uri BaseUrl, string Token)> WaitForLoginUrlAsync(TimeSpan timeout)
    {
        await _weft.WaitUntilAsync(() => LoginLine().IsMatch(_weft.Stdout), timeout, "the login URL");
        var m = LoginLine().Match(_weft.Stdout);
        return (new Uri(m.Groups["url"].Value), m.Groups["token"].Value);
    }

    /// <summary>Sends SIGTERM, as a service manager stops it.</summary>
    public void Terminate() => _weft.Signal("TERM");

    /// <summary>Waits for the exit; returns the exit code and how long it took.</summary>
    public async Task<(int ExitCode, TimeSpan Elapsed)> WaitForExitAsync(TimeSpan timeout)
    {
        var result = await _weft.WaitAsync(timeout);
        return (result.ExitCode, result.Elapsed);
    }

    public void Dispose() => _weft.Dispose();

    [GeneratedRegex(@"^\s+(?<url>http://\S+?)/#token=(?<token>weft_[A-Za-z0-9_-]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex LoginLine();
}
