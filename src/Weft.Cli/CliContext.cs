using System.CommandLine;
using System.Text.Json;
using Weft.Core.Diagnostics;
using Weft.Engine.Json;

namespace Weft.Cli;

/// <summary>
/// What a command needs from its invocation: the global options resolved (option, then environment
/// variable, then default), the output writers, and helpers that keep every command's output in the
/// contract's format (errors as <c>weft: error: …</c>, JSON in snake_case).
/// </summary>
internal sealed class CliContext
{
    public CliContext(ParseResult parseResult)
        : this(parseResult, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error)
    {
    }

    public CliContext(ParseResult parseResult, TextWriter output, TextWriter error)
    {
        ParseResult = parseResult;
        Out = output;
        Error = error;
        Json = parseResult.GetValue(GlobalOptions.Json);
        Quiet = parseResult.GetValue(GlobalOptions.Quiet);
        Verbose = parseResult.GetValue(GlobalOptions.Verbose);
        Home = Path.GetFullPath(Resolve(GlobalOptions.Home, "WEFT_HOME") ?? ".weft");
        DagsFolder = Path.GetFullPath(Resolve(GlobalOptions.Dags, "WEFT_DAGS") ?? "dags");
        Database = Resolve(GlobalOptions.Db, "WEFT_DB") ?? Path.Combine(Home, "weft.db");
    }

    public ParseResult ParseResult { get; }

    /// <summary>Standard output: results, and JSON with <c>--json</c>.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error: errors, diagnostics, progress.</summary>
    public TextWriter Error { get; }

    /// <summary><c>--json</c>: write machine output on stdout instead of text.</summary>
    public bool Json { get; }

    /// <summary><c>--quiet</c>: leave out summaries and progress.</summary>
    public bool Quiet { get; }

    /// <summary><c>--verbose</c>: add detail.</summary>
    public bool Verbose { get; }

    /// <summary>The Weft home folder, absolute.</summary>
    public string Home { get; }

    /// <summary>The DAGs folder, absolute.</summary>
    public string DagsFolder { get; }

    /// <summary>The database: a PostgreSQL URL or connection string, or else a SQLite file path or connection string.</summary>
    public string Database { get; }

    /// <summary>True when <see cref="Database"/> names PostgreSQL rather than SQLite.</summary>
    public bool IsPostgres =>
        Database.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || Database.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || Database.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes <c>weft: error: MESSAGE</c> and an optional <c>hint:</c> line to stderr.</summary>
    public void WriteError(string message, string? hint = null) => WriteError(Error, message, hint);

    /// <summary>Writes <c>weft: warning: MESSAGE</c> to stderr.</summary>
    public void WriteWarning(string message) => Error.WriteLine($"weft: warning: {message}");

    /// <summary>Writes a line to stdout unless <c>--quiet</c>.</summary>
    public void WriteInfo(string line)
    {
        if (!Quiet)
        {
            Out.WriteLine(line);
        }
    }

    /// <summary>Writes a line to stderr only with <c>--verbose</c>.</summary>
    public void WriteVerbose(string line)
    {
        if (Verbose)
        {
            Error.WriteLine(line);
        }
    }

    /// <summary>Writes DAG diagnostics, one <c>FILE:LINE:COL: error: MESSAGE</c> line each, to stderr.</summary>
    public void WriteDiagnostics(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            Error.WriteLine(diagnostic.ToString());
        }
    }

    /// <summary>Serializes a value as snake_case JSON on stdout.</summary>
    public void WriteJson<T>(T value)
    {
        Out.WriteLine(JsonSerializer.Serialize(value, CliJson.Options.TypeInfo<T>()));
    }

    internal static void WriteError(TextWriter error, string message, string? hint)
    {
        error.WriteLine($"weft: error: {message}");
        if (hint is not null)
        {
            error.WriteLine($"hint: {hint}");
        }
    }

    private string? Resolve(Option<string?> option, string environmentVariable)
    {
        var value = ParseResult.GetValue(option);
        if (string.IsNullOrWhiteSpace(value))
        {
            value = Environment.GetEnvironmentVariable(environmentVariable);
        }

        return string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
