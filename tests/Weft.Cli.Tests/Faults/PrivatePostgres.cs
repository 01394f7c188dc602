using System.Diagnostics;

namespace Weft.Cli.Tests.Faults;

/// <summary>
/// A PostgreSQL server of one test's own (its own data folder and loopback port, as <c>scripts/ensure-postgres.sh</c>
/// makes the shared one), so the test may restart it without disturbing tests that run beside it. As root, the
/// server runs as the <c>postgres</c> user. Null from <see cref="StartAsync"/> when PostgreSQL is not installed.
/// </summary>
internal sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _dir;
    private readonly bool _asPostgres;

    private PrivatePostgres(string bin, string dir, bool asPostgres, int port)
    {
        _bin = bin;
        _dir = dir;
        _asPostgres = asPostgres;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The server's URL, with Weft's tables in <paramref name="schema"/>.</summary>
    public string Url(string schema) => $"postgres://weft:weft@127.0.0.1:{Port}/postgres?search_path={schema}";

    private string Data => Path.Combine(_dir, "data");

    public static async Task<PrivatePostgres?> StartAsync()
    {
        var bin = Environment.GetEnvironmentVariable("WEFT_PG_BINDIR") is { Length: > 0 } given ? given
            : Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderBy(b => b, StringComparer.Ordinal).LastOrDefault()
                : null;
        if (bin is null || OperatingSystem.IsWindows())
        {
            return null;
        }

        var dir = Directory.CreateTempSubdirectory("weft-pg-test-").FullName;
        File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("755", 8));
        await File.WriteAllTextAsync(Path.Combine(dir, "pwfile"), "weft\n");
        var asPostgres = Environment.UserName == "root";
        if (asPostgres)
        {
            await RunAsync("chown", ["-R", "postgres:", dir]);
        }

        var server = new PrivatePostgres(bin, dir, asPostgres, FaultSite.FreePort());
        await server.PgAsync("initdb", "-D", server.Data, "-U", "weft", $"--pwfile={Path.Combine(dir, "pwfile")}", "--auth-local=trust",
            "--auth-host=scram-sha-256", "-E", "UTF8", "--no-instructions");
        await server.PgAsync("pg_ctl", "-D", server.Data, "-l", Path.Combine(dir, "server.log"), "-w", "-t", "30", "-o",
            $"-p {server.Port} -c listen_addresses=127.0.0.1 -k {dir} -c fsync=off -c full_page_writes=off", "start");
        return server;
    }

    /// <summary>
    /// Restarts the server: <c>fast</c> (clients disconnected cleanly) or <c>immediate</c> (crash and recovery). Commits
    /// are synchronous (unlike the shared test server's), so a commit acknowledged before a crash survives it, as on a
    /// production server; <c>fsync</c> stays off, which only matters if the machine itself fails.
    /// </summary>
    public Task RestartAsync(string mode) => PgAsync("pg_ctl", "-D", Data, "-w", "-t", "30", "-m", mode, "restart");

    private Task PgAsync(string tool, params string[] args) =>
        _asPostgres ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args]) : RunAsync(Path.Combine(_bin, tool), args);

    private static async Task RunAsync(string program, string[] args)
    {
        var start = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await PgAsync("pg_ctl", "-D", Data, "-w", "-m", "immediate", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
