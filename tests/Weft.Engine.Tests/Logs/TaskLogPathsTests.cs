using Weft.Engine.Logs;

namespace Weft.Engine.Tests.Logs;

public sealed class TaskLogPathsTests
{
    [Fact]
    public void For_BuildsAirflowLayout_KeepingColons()
    {
        var path = TaskLogPaths.For("/home/w/.weft", "etl", "manual__2026-11-22T10:00:00.000Z", "extract", 2);

        Assert.Equal("/home/w/.weft/logs/dag_id=etl/run_id=manual__2026-11-22T10:00:00.000Z/task_id=extract/attempt=2.log", path);
    }
}
