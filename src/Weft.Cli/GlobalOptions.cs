using System.CommandLine;

namespace Weft.Cli;

/// <summary>
/// Options every command accepts, before or after the subcommand's name. Their values are read through
/// <see cref="CliContext"/>, which falls back to the <c>WEFT_*</c> environment variables.
/// </summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Db = new("--db")
    {
        Description = "Database: a SQLite file path, postgres://user:pass@host:port/db, or an Npgsql connection string [env: WEFT_DB; default: weft.db in the home folder]",
        HelpName = "CONN",
        Recursive = true,
    };

    public static readonly Option<string?> Home = new("--home")
    {
        Description = "Folder for the database and task logs [env: WEFT_HOME; default: .weft]",
        HelpName = "DIR",
        Recursive = true,
    };

    public static readonly Option<string?> Dags = new("--dags")
    {
        Description = "Folder of DAG files, scanned recursively [env: WEFT_DAGS; default: ./dags]",
        HelpName = "DIR",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Write machine-readable JSON to stdout",
        Recursive = true,
    };

    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "Print only errors and the command's essential output",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Print more detail, including stack traces of internal errors",
        Recursive = true,
    };

    public static IEnumerable<Option> All => [Db, Home, Dags, Json, Quiet, Verbose];
}
