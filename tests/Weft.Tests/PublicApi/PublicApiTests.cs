using System.Runtime.CompilerServices;
using PublicApiGenerator;

namespace Weft.Tests.PublicApi;

/// <summary>
/// The Weft assembly's public surface, pinned: a change to it fails here until Weft.approved.txt is updated with it,
/// so every change of the API a host app compiles against is a reviewed diff. On a failure the new surface is
/// written to Weft.received.txt beside the approved file; copy it over when the change is meant.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void WeftAssembly_PublicApi_IsTheApprovedOne()
    {
        var actual = typeof(IWeftClient).Assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute", "System.Reflection.AssemblyMetadataAttribute"],
        }).ReplaceLineEndings("\n");
        var folder = Folder();
        var approvedPath = Path.Combine(folder, "Weft.approved.txt");
        var receivedPath = Path.Combine(folder, "Weft.received.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";
        if (approved == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, actual);
        Assert.Fail($"The public API of the Weft assembly changed. Review {receivedPath} and, if the change is meant, copy it over {approvedPath}.");
    }

    private static string Folder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
