namespace Weft.Server.Hosting;

/// <summary>
/// The server's settings, bound from the <c>Server</c> section of <c>appsettings.json</c>, from <c>WEFT_SERVER__*</c>
/// environment variables and from <c>--Server:KEY=VALUE</c> arguments (later sources win). Defaults live here.
/// </summary>
internal sealed class ServerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Server";

    /// <summary>Where Kestrel listens; several URLs separated by <c>;</c>.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Largest request body accepted; larger ones get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Failed authentications per client address and minute before requests get 429.</summary>
    public int AuthFailuresPerMinute { get; set; } = 20;

    /// <summary>
    /// Reverse proxies (IP addresses, or networks as <c>10.0.0.0/8</c>) whose <c>X-Forwarded-For</c> is believed, so
    /// the failed-authentication limit counts each client behind them apart. Empty (the default): the header is
    /// ignored and the connection's address counts.
    /// </summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Origins allowed to call the API from a browser; empty (the default) turns CORS off.</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>How often the DAGs folder is scanned for new or changed files.</summary>
    public TimeSpan DagRescanInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the executor looks for queued runs.</summary>
    public TimeSpan ExecutorPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>False when another component (a scheduler, remote workers) runs the queued runs.</summary>
    public bool ExecutorEnabled { get; set; } = true;

    /// <summary>False to hand every task to workers (queue <c>default</c> when it names none); true runs tasks without a queue in this process.</summary>
    public bool LocalTasks { get; set; } = true;

    /// <summary>Runs the executor drives at once, over all DAGs.</summary>
    public int MaxActiveRuns { get; set; } = 32;

    /// <summary>On shutdown, how long running attempts may take to finish before they are stopped and failed.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// On the first start (no token in the database, active or revoked) create an admin token and print a login URL;
    /// on later starts, say so when no active admin token is left (no new one is minted).
    /// </summary>
    public bool CreateFirstToken { get; set; } = true;

    /// <summary>Where relative script paths are looked up first; default <c>./tasks</c>.</summary>
    public string? TasksDir { get; set; }

    /// <summary>
    /// How old the in-memory copies of database state that the API answers from (active tokens, the DAG list, a
    /// finished run's task instances) may get before they are read again. Changes made through this server show
    /// at once; changes made by another process on the same database (<c>weft tokens revoke</c>, <c>weft dags
    /// pause</c>, <c>weft tasks clear</c>) show within this time.
    /// </summary>
    public TimeSpan CacheRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Checks the values; each message names the setting.</summary>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Urls))
        {
            yield return "Server:Urls is empty";
        }
        else
        {
            foreach (var url in Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                    || uri.Scheme is not ("http" or "https"))
                {
                    yield return $"Server:Urls: '{url}' is not an http or https URL";
                }
            }
        }

        if (MaxRequestBodyBytes < 1024)
        {
            yield return "Server:MaxRequestBodyBytes must be at least 1024";
        }

        if (AuthFailuresPerMinute < 1)
        {
            yield return "Server:AuthFailuresPerMinute must be at least 1";
        }

        if (DagRescanInterval < TimeSpan.FromMilliseconds(100))
        {
            yield return "Server:DagRescanInterval must be at least 100ms";
        }

        if (ExecutorPollInterval < TimeSpan.FromMilliseconds(10))
        {
            yield return "Server:ExecutorPollInterval must be at least 10ms";
        }

        if (CacheRefreshInterval < TimeSpan.Zero || CacheRefreshInterval > TimeSpan.FromMinutes(1))
        {
            yield return "Server:CacheRefreshInterval must be between 0 and 1 minute";
        }

        if (MaxActiveRuns < 1)
        {
            yield return "Server:MaxActiveRuns must be at least 1";
        }

        if (ShutdownGracePeriod < TimeSpan.Zero)
        {
            yield return "Server:ShutdownGracePeriod must not be negative";
        }

        foreach (var proxy in KnownProxies)
        {
            if (!(proxy.Contains('/', StringComparison.Ordinal) ? System.Net.IPNetwork.TryParse(proxy, out _) : System.Net.IPAddress.TryParse(proxy, out _)))
            {
                yield return $"Server:KnownProxies: '{proxy}' is not an IP address or a network (10.0.0.0/8)";
            }
        }

        foreach (var origin in CorsOrigins)
        {
            if (origin != "*" && !Uri.TryCreate(origin, UriKind.Absolute, out _))
            {
                yield return $"Server:CorsOrigins: '{origin}' is not an origin (scheme://host[:port]) or *";
            }
        }
    }
}
