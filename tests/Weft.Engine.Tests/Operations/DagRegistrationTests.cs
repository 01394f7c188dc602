using Weft.Core.Dags;
using Weft.Engine.Operations;

namespace Weft.Engine.Tests.Operations;

public sealed class DagRegistrationTests
{
    [Fact]
    public void Record_KeepsSourceHashesItAndCopiesTags()
    {
        var dag = new DagDefinition { Id = "d", Tags = ["finance", "daily"], Tasks = [new TaskDefinition { Id = "a" }] };

        var record = DagRegistration.Record(dag, "id: d\n", "/dags/d.yaml", paused: true, RunFixtures.Start);

        Assert.Equal("d", record.DagId);
        Assert.Equal("id: d\n", record.Source);
        Assert.Equal("/dags/d.yaml", record.FilePath);
        Assert.True(record.IsPaused);
        Assert.Null(record.ScheduleText);
        Assert.Equal("""["finance","daily"]""", record.TagsJson);
        Assert.Equal(64, record.Hash.Length);
        Assert.Equal(DagRegistration.Hash("id: d\n"), record.Hash);
        Assert.NotEqual(DagRegistration.Hash("id: e\n"), record.Hash);
    }

    [Fact]
    public void Hash_IsSha256Hex()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", DagRegistration.Hash(""));
    }
}
