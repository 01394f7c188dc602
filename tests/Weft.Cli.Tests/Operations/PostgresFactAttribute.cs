namespace Weft.Cli.Tests.Operations;

/// <summary>
/// A test that needs the PostgreSQL server <c>WEFT_TEST_POSTGRES</c> names. Without it the test is skipped with a
/// message saying how to run it, except under CI (<c>CI</c> set), where it runs and fails saying what is missing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "WEFT_TEST_POSTGRES";

    public const string HowToRun =
        "run scripts/test.sh (it starts a private PostgreSQL), or eval the export line that scripts/ensure-postgres.sh prints and run dotnet test again";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = $"{Variable} is not set: {HowToRun}";
        }
    }
}
