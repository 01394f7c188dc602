using System.Diagnostics;

namespace Weft.Tests.Packaging;

/// <summary>
/// What a .NET user does: pack the packages into a folder, install the tool from it, and build a host app that
/// references only the Weft package from it. Packages go to a NuGet cache of this test's own, so a stale copy of
/// the same version never stands in for the code under test.
/// </summary>
public sealed class PackageAcceptanceTests
{
    private static readonly TimeSpan StepLimit = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Packages_ToolAndHostApp_RunDags()
    {
        var root = RepositoryRoot();
        var work = TestHosts.NewFolder();
        var packages = Path.Combine(work, "packages");
        var env = new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = Path.Combine(work, "nuget-cache"),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };

        foreach (var project in new[] { "src/Weft/Weft.csproj", "src/Weft.Cli/Weft.Cli.csproj" })
        {
            await RunAsync(root, env, "dotnet", "pack", project, "-c", "Release", "-o", packages, "-m:1", "-nologo", "-v", "q");
        }

        var version = Path.GetFileNameWithoutExtension(Directory.GetFiles(packages, "Weft.Cli.*.nupkg").Single())["Weft.Cli.".Length..];
        File.WriteAllText(Path.Combine(work, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="weft-local" value="{packages}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{MachineCache()}" />
              </fallbackPackageFolders>
            </configuration>
            """);

        // The tool: installed from the folder, then running a DAG file.
        var tools = Path.Combine(work, "tools");
        await RunAsync(work, env, "dotnet", ReadmeToolInstall(root, tools, packages, version));
        Directory.CreateDirectory(Path.Combine(work, "dags"));
        var greeted = Path.Combine(work, "greeted.txt");
        File.WriteAllText(Path.Combine(work, "dags", "hello.yaml"), $"""
            id: hello
            tasks:
              - id: greet
                command: echo "hello from the tool" > '{greeted}'
            """);
        await RunAsync(work, env, Path.Combine(tools, "weft"), "run", "dags/hello.yaml");
        Assert.Equal("hello from the tool", File.ReadAllText(greeted).Trim());

        // The library: a host app with only the Weft package.
        var app = Path.Combine(work, "host");
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "Host.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <NoWarn>CS1998</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Weft" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        // The README's library quick start, as it stands.
        File.WriteAllText(Path.Combine(app, "Program.cs"), ReadmeProgram(root));
        var output = await RunAsync(app, env, "dotnet", "run", "-nologo", "-v", "q");
        Assert.Contains("result success success 42", output);
    }

    /// <summary>The README's install command, into a folder of the test's own instead of the user's tools (-g).</summary>
    private static string[] ReadmeToolInstall(string root, string tools, string packages, string version)
    {
        var line = File.ReadAllLines(Path.Combine(root, "README.md")).Select(l => l.Trim())
            .FirstOrDefault(l => l.StartsWith("dotnet tool install -g Weft.Cli", StringComparison.Ordinal));
        Assert.True(line is not null, "README.md shows no 'dotnet tool install -g Weft.Cli' command");
        var args = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .SelectMany(a => a == "-g" ? new[] { "--tool-path", tools } : a == "./packages" ? new[] { packages } : new[] { a });
        return [.. args, "--version", version];
    }

    private static string ReadmeProgram(string root)
    {
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var section = readme.IndexOf("## Weft as a library", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no 'Weft as a library' section");
        var open = readme.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        return readme[open..readme.IndexOf("```", open, StringComparison.Ordinal)];
    }

    private static string MachineCache() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Weft.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Weft.slnx) was not found above " + AppContext.BaseDirectory);
    }

    private static async Task<string> RunAsync(string cwd, Dictionary<string, string> env, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env)
        {
            start.Environment[k] = v;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(StepLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {StepLimit}");
        }

        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {process.ExitCode}:\n{output}");
        return output;
    }
}
