using Npgsql;
using Weft.Engine.Storage;
using Weft.Storage.Postgres;
using Xunit.Abstractions;

namespace Weft.Storage.Tests;

/// <summary>
/// The store contract on a real PostgreSQL server (<c>WEFT_TEST_POSTGRES</c>, which <c>scripts/test.sh</c> starts), each
/// test in a schema of its own that the store creates at start and the test drops at the end.
/// </summary>
[RequiresDatabase(TestPostgres.Variable, TestPostgres.HowToRun)]
public sealed class PostgresStateStoreContractTests(ITestOutputHelper output) : StateStoreContract(output)
{
    private readonly string _schema = "test_" + Guid.NewGuid().ToString("N");

    protected override IStateStore OpenStore() => new PostgresStateStore(TestPostgres.InSchema(_schema));

    protected override async Task DisposeDatabaseAsync()
    {
        await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString());
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
