using Weft.Engine.Storage;
using Weft.Storage.Sqlite;
using Xunit.Abstractions;

namespace Weft.Storage.Tests;

/// <summary>The store contract on a SQLite file, a new one per test.</summary>
public sealed class SqliteStateStoreContractTests(ITestOutputHelper output) : StateStoreContract(output)
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "weft-contract-tests", Guid.NewGuid().ToString("N"));

    protected override IStateStore OpenStore() => new SqliteStateStore(Path.Combine(_folder, "weft.db"));

    protected override Task DisposeDatabaseAsync()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        return Task.CompletedTask;
    }
}
