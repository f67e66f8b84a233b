using System.Text.Json;
using Xunit.Abstractions;

namespace AiEng.Packaging.Tests;

/// <summary>
/// Restores each packed package alone into an empty application, as NuGet resolves it for a user, prints the package's
/// transitive dependency closure, and checks it against the package map in docs/architecture.md: a package brings in only
/// the third-party libraries its capability needs.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class DependencyClosureTests(PackedFeedFixture feed, ITestOutputHelper output)
{
    /// <summary>The libraries of the document, prompt and evaluation capabilities, which chat-only applications must not get.</summary>
    private static readonly string[] FeatureLibraries =
        ["PdfPig", "AngleSharp", "DocumentFormat.OpenXml", "Fluid.Core", "YamlDotNet", "JsonSchema.Net", "Microsoft.Extensions.AI.Evaluation", "Markdig"];

    /// <summary>For each package, the libraries (or AiEng packages) it must not pull in.</summary>
    public static TheoryData<string, string[]> Rules => new()
    {
        { "AiEng.Abstractions", [.. FeatureLibraries, "Polly.Core", "Microsoft.ML.Tokenizers", "AiEng"] },
        { "AiEng", [.. FeatureLibraries, "AiEng.Retrieval", "AiEng.Prompts", "AiEng.Evaluation"] },
        { "AiEng.OpenAI", [.. FeatureLibraries, "AiEng.Retrieval", "AiEng.Prompts", "AiEng.Evaluation"] },
        { "AiEng.Ollama", [.. FeatureLibraries, "AiEng.Retrieval", "AiEng.Prompts", "AiEng.Evaluation"] },
        { "AiEng.Onnx", [.. FeatureLibraries, "AiEng.Retrieval", "AiEng.Prompts", "AiEng.Evaluation"] },
        { "AiEng.Retrieval", ["PdfPig", "AngleSharp", "DocumentFormat.OpenXml", "Fluid.Core", "YamlDotNet", "JsonSchema.Net", "Microsoft.Extensions.AI.Evaluation", "AiEng.Prompts"] },
        { "AiEng.Retrieval.Pdf", ["AngleSharp", "DocumentFormat.OpenXml", "Fluid.Core", "YamlDotNet", "JsonSchema.Net", "Microsoft.Extensions.AI.Evaluation"] },
        { "AiEng.Retrieval.Html", ["PdfPig", "DocumentFormat.OpenXml", "Fluid.Core", "YamlDotNet", "JsonSchema.Net", "Microsoft.Extensions.AI.Evaluation"] },
        { "AiEng.Retrieval.Docx", ["PdfPig", "AngleSharp", "Fluid.Core", "YamlDotNet", "JsonSchema.Net", "Microsoft.Extensions.AI.Evaluation"] },
        { "AiEng.Prompts", ["PdfPig", "AngleSharp", "DocumentFormat.OpenXml", "Markdig", "Microsoft.Extensions.AI.Evaluation", "AiEng.Retrieval"] },
        { "AiEng.Evaluation", ["PdfPig", "AngleSharp", "DocumentFormat.OpenXml"] },
        { "AiEng.Sqlite", ["PdfPig", "AngleSharp", "DocumentFormat.OpenXml", "Fluid.Core", "YamlDotNet", "JsonSchema.Net", "Microsoft.Extensions.AI.Evaluation"] },
        { "AiEng.Postgres", ["PdfPig", "AngleSharp", "DocumentFormat.OpenXml", "Fluid.Core", "YamlDotNet", "JsonSchema.Net", "Microsoft.Extensions.AI.Evaluation", "Microsoft.Data.Sqlite"] },
        { "AiEng.FineTuning", ["PdfPig", "AngleSharp", "DocumentFormat.OpenXml", "Npgsql", "Microsoft.Data.Sqlite", "Microsoft.ML.OnnxRuntime"] },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task A_package_pulls_in_only_the_libraries_of_its_capability(string id, string[] forbidden)
    {
        IReadOnlyList<string> closure = await RestoreClosureAsync(id);
        output.WriteLine($"{id} {feed.Version}: {closure.Count} packages in its closure");
        foreach (string package in closure)
        {
            output.WriteLine("  " + package);
        }

        string[] names = closure.Select(package => package.Split('/')[0]).ToArray();
        Assert.Contains(id, names);
        string[] leaked = names.Intersect(forbidden, StringComparer.OrdinalIgnoreCase).ToArray();
        Assert.True(leaked.Length == 0, $"{id} pulls in {string.Join(", ", leaked)}, which belong to another capability's package.");
    }

    [Fact]
    public void Every_packed_package_has_a_closure_rule_or_is_a_test_kit()
    {
        string[] ruled = Rules.Select(row => (string)row[0]).ToArray();
        string[] testKits = ["AiEng.Testing", "AiEng.VectorData.ConformanceTests"];

        // Tools are not referenced by applications (NuGet refuses a DotnetTool package as a dependency) and declare no
        // dependencies: PackageMetadataTests checks that of each of them.
        string[] tools = [.. RepositoryPaths.ToolProjects.Select(p => Path.GetFileNameWithoutExtension(p))];

        Assert.Equal(["AiEng.Cli"], tools);
        Assert.All(feed.PackageIds, id => Assert.True(ruled.Contains(id) || testKits.Contains(id) || tools.Contains(id), $"{id} has no dependency rule in {nameof(Rules)}."));
    }

    /// <summary>Restores an application that references only <paramref name="id"/> and returns every package NuGet resolved, as <c>name/version</c>.</summary>
    private async Task<IReadOnlyList<string>> RestoreClosureAsync(string id)
    {
        string directory = Path.Combine(Path.GetTempPath(), "aieng-closure-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "Closure.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                    <NoWarn>NU1603</NoWarn>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="{id}" Version="{feed.Version}" />
                  </ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(directory, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="aieng-local" value="{feed.FeedDirectory}" />
                  </packageSources>
                </configuration>
                """);
            await ProcessRunner.RunAsync("dotnet", "restore -nologo", directory, TimeSpan.FromMinutes(5));

            using JsonDocument assets = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "obj", "project.assets.json")));
            JsonElement target = assets.RootElement.GetProperty("targets").EnumerateObject().Single().Value;
            return target.EnumerateObject()
                .Where(library => library.Value.GetProperty("type").GetString() == "package")
                .Select(library => library.Name)
                .Order(StringComparer.OrdinalIgnoreCase)
                .ToArray();
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a left-over temporary folder does not change any result.
            }
        }
    }
}
