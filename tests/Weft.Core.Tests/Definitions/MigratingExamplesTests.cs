using Weft.Core.Definitions;
using Weft.Core.Diagnostics;

namespace Weft.Core.Tests.Definitions;

public class MigratingExamplesTests
{
    [Fact]
    public void LoadPath_EveryMigratingExample_LoadsWithoutErrorsOrWarnings()
    {
        var results = DagLoader.LoadPath(Path.Combine(TestFiles.RepoRoot(), "examples", "migrating"));

        Assert.Equal(5, results.Count);
        Assert.All(results, r => Assert.DoesNotContain(r.Diagnostics, d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning));
    }
}
