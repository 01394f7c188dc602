using Weft.Engine.Runners.Processes.Native;

namespace Weft.Engine.Tests.Runners.Processes.Native;

public sealed class EmptyFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "weft-emptyfile-tests", Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TryCreate_NewAndExistingFile_LeavesItEmpty()
    {
        var path = Path.Combine(_dir, "ü t.out");

        Assert.True(EmptyFile.TryCreate(path));
        Assert.Equal(0, new FileInfo(path).Length);

        File.WriteAllText(path, "key=value\n");
        Assert.True(EmptyFile.TryCreate(path));
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public void TryCreate_MissingFolder_ReturnsFalse()
    {
        Assert.False(EmptyFile.TryCreate(Path.Combine(_dir, "missing", "t.out")));
    }

    [Fact]
    public void TryCreate_FolderInTheWay_Throws()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "taken"));

        Assert.Throws<IOException>(() => EmptyFile.TryCreate(Path.Combine(_dir, "taken")));
    }
}
