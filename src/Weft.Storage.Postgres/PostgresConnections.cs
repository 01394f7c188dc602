using System.Data.Common;
using Npgsql;

namespace Weft.Storage.Postgres;

/// <summary>
/// Turns a <c>postgres://</c> URL or an Npgsql connection string into the connection settings Weft runs with, and
/// builds the data source (the connection pool) from them.
/// </summary>
/// <remarks>
/// Pool size, command timeout, keepalive and TCP keepalive are always set, to these defaults unless the connection
/// string sets them: Npgsql's own defaults leave an idle connection across a silent network partition (a dropped
/// route, a paused proxy) looking alive for as long as the operating system's TCP timeout, about two hours, and a
/// command on it waiting as long. With them a dead connection is noticed within seconds and fails with an
/// <see cref="NpgsqlException"/>, which the engine retries.
/// </remarks>
internal sealed class PostgresConnections
{
    /// <summary>Connections kept per process: a scheduler's passes, a run's commits and the API's reads share them.</summary>
    public const int DefaultMaxPoolSize = 20;

    /// <summary>Seconds a command may run; longer means the server or the network is gone.</summary>
    public const int DefaultCommandTimeoutSeconds = 30;

    /// <summary>Seconds to wait for a connection to open.</summary>
    public const int DefaultConnectTimeoutSeconds = 10;

    /// <summary>Seconds of idleness after which Npgsql sends a keepalive query on a connection.</summary>
    public const int DefaultKeepAliveSeconds = 10;

    /// <summary>Seconds of idleness before the first TCP keepalive probe, then seconds between probes.</summary>
    public const int DefaultTcpKeepAliveTimeSeconds = 10;

    /// <inheritdoc cref="DefaultTcpKeepAliveTimeSeconds"/>
    public const int DefaultTcpKeepAliveIntervalSeconds = 3;

    /// <summary>Statements Npgsql prepares on each connection once they have been used a few times.</summary>
    public const int DefaultMaxAutoPrepare = 32;

    public PostgresConnections(string urlOrConnectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(urlOrConnectionString);

        var given = IsUrl(urlOrConnectionString) ? FromUrl(urlOrConnectionString) : urlOrConnectionString;
        // What the caller set, read with a plain builder: Npgsql's own builder reports every keyword it knows as present.
        var set = new DbConnectionStringBuilder { ConnectionString = given }.Keys.Cast<string>()
            .Select(Normalize).ToHashSet(StringComparer.Ordinal);
        var builder = new NpgsqlConnectionStringBuilder(given);

        void Default(string keyword, Action apply)
        {
            if (!set.Contains(Normalize(keyword)))
            {
                apply();
            }
        }

        Default("Max Pool Size", () => builder.MaxPoolSize = DefaultMaxPoolSize);
        Default("Command Timeout", () => builder.CommandTimeout = DefaultCommandTimeoutSeconds);
        Default("Timeout", () => builder.Timeout = DefaultConnectTimeoutSeconds);
        Default("Keepalive", () => builder.KeepAlive = DefaultKeepAliveSeconds);
        Default("Tcp Keepalive", () => builder.TcpKeepAlive = true);
        Default("Tcp Keepalive Time", () => builder.TcpKeepAliveTime = DefaultTcpKeepAliveTimeSeconds);
        Default("Tcp Keepalive Interval", () => builder.TcpKeepAliveInterval = DefaultTcpKeepAliveIntervalSeconds);
        Default("Max Auto Prepare", () => builder.MaxAutoPrepare = DefaultMaxAutoPrepare);
        Default("Application Name", () => builder.ApplicationName = "weft");

        Schema = FirstSchema(builder.SearchPath);
        Settings = builder;
    }

    /// <summary>The effective settings (password included: never print them).</summary>
    public NpgsqlConnectionStringBuilder Settings { get; }

    /// <summary>The schema Weft's tables live in: the first of <c>Search Path</c>, or <c>public</c>.</summary>
    public string Schema { get; }

    /// <summary>Where the database is, for messages: host, port and database, without credentials.</summary>
    public string Describe() => $"{Settings.Host}:{Settings.Port}/{Settings.Database}";

    /// <summary>A pool over these settings; slim, so it stays trimmable and AOT-compatible.</summary>
    public NpgsqlDataSource CreateDataSource()
    {
        var builder = new NpgsqlSlimDataSourceBuilder(Settings.ConnectionString);
        builder.EnableArrays();
        return builder.Build();
    }

    /// <summary>True for <c>postgres://</c> and <c>postgresql://</c> URLs.</summary>
    public static bool IsUrl(string value) =>
        value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// <c>postgres://user:password@host:port/database?sslmode=require&amp;search_path=weft</c> as a connection string.
    /// User and password are percent-decoded; libpq's usual query keys are understood, and any other key is taken
    /// as an Npgsql connection-string keyword.
    /// </summary>
    public static string FromUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"'{Redact(url)}' is not a valid PostgreSQL URL (postgres://user:password@host:port/database).", nameof(url));
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            builder[key.ToLowerInvariant() switch
            {
                "sslmode" => "SSL Mode",
                "application_name" => "Application Name",
                "connect_timeout" => "Timeout",
                "search_path" or "schema" => "Search Path",
                "options" => "Options",
                _ => key,
            }] = value;
        }

        return builder.ConnectionString;
    }

    /// <summary>The URL or connection string with its password hidden, for error messages.</summary>
    public static string Redact(string value)
    {
        if (IsUrl(value))
        {
            var at = value.IndexOf('@', StringComparison.Ordinal);
            var scheme = value.IndexOf("://", StringComparison.Ordinal) + 3;
            var colon = value.IndexOf(':', scheme);
            return at > 0 && colon > 0 && colon < at ? value[..(colon + 1)] + "***" + value[at..] : value;
        }

        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = value };
            if (builder.ContainsKey("Password"))
            {
                builder["Password"] = "***";
            }

            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return "(an invalid connection string)";
        }
    }

    /// <summary>A keyword without spaces, in lower case, with Npgsql's long spelling of the pool size folded in.</summary>
    private static string Normalize(string keyword)
    {
        var plain = keyword.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        return plain == "maximumpoolsize" ? "maxpoolsize" : plain;
    }

    private static string FirstSchema(string? searchPath)
    {
        var first = searchPath?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return string.IsNullOrEmpty(first) || first == "\"$user\"" ? "public" : first.Trim('"');
    }
}
