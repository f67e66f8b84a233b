using System.IO.Compression;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace AiEng.Packaging.Tests;

[Collection(PackedFeedCollection.Name)]
public sealed class PackageMetadataTests(PackedFeedFixture feed)
{
    public static TheoryData<string> PackageIds => new(RepositoryPaths.LibraryProjects.Select(p => Path.GetFileNameWithoutExtension(p)));

    public static TheoryData<string> ToolIds => new(RepositoryPaths.ToolProjects.Select(p => Path.GetFileNameWithoutExtension(p)));

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void Each_package_carries_the_metadata_a_feed_shows(string id)
    {
        using var package = ZipFile.OpenRead(feed.PackagePath(id));
        AssertFeedMetadata(id, package);
        Assert.Contains(package.Entries, e => e.FullName == $"lib/net10.0/{id}.dll");
        Assert.Contains(package.Entries, e => e.FullName == $"lib/net10.0/{id}.xml");
    }

    [Theory]
    [MemberData(nameof(ToolIds))]
    public void Each_tool_package_is_a_self_contained_dotnet_tool_with_the_metadata_a_feed_shows(string id)
    {
        using var package = ZipFile.OpenRead(feed.PackagePath(id));
        XElement metadata = AssertFeedMetadata(id, package);

        // A tool carries its dependencies in tools/ and declares none: installing it restores nothing else.
        var packageType = metadata.Elements().Single(e => e.Name.LocalName == "packageTypes").Elements().Single();
        Assert.Equal("DotnetTool", packageType.Attribute("name")?.Value);
        Assert.DoesNotContain(metadata.Elements(), e => e.Name.LocalName == "dependencies" && e.Descendants().Any(d => d.Name.LocalName == "dependency"));
        Assert.Contains(package.Entries, e => e.FullName == $"tools/net10.0/any/{id}.dll");
        Assert.Contains(package.Entries, e => e.FullName == "tools/net10.0/any/AiEng.dll");
        Assert.Contains(package.Entries, e => e.FullName == "tools/net10.0/any/System.CommandLine.dll");
        using var settings = package.GetEntry("tools/net10.0/any/DotnetToolSettings.xml")!.Open();
        var command = XDocument.Load(settings).Descendants().Single(e => e.Name.LocalName == "Command");
        Assert.Equal("aieng", command.Attribute("Name")?.Value);
        Assert.Equal($"{id}.dll", command.Attribute("EntryPoint")?.Value);
    }

    private XElement AssertFeedMetadata(string id, ZipArchive package)
    {
        var nuspecEntry = Assert.Single(package.Entries, e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspecEntry.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

        Assert.Equal(id, Value("id"));
        Assert.Equal(feed.Version, Value("version"));
        Assert.False(string.IsNullOrWhiteSpace(Value("description")), "description is empty");
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("README.md", Value("readme"));
        Assert.Contains("ai", (Value("tags") ?? string.Empty).Split(' '));
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.StartsWith("https://", repository.Attribute("url")?.Value, StringComparison.Ordinal);
        Assert.Contains(package.Entries, e => e.FullName == "README.md");
        return metadata;
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void Each_public_type_of_a_package_is_declared_in_its_public_api_baseline(string id)
    {
        var directory = Path.Combine(RepositoryPaths.Root, "src", id);
        var declared = File.ReadAllLines(Path.Combine(directory, "PublicAPI.Shipped.txt"))
            .Concat(File.ReadAllLines(Path.Combine(directory, "PublicAPI.Unshipped.txt")))
            .ToHashSet(StringComparer.Ordinal);

        using var package = ZipFile.OpenRead(feed.PackagePath(id));
        using var assembly = new MemoryStream();
        using (var entry = package.GetEntry($"lib/net10.0/{id}.dll")!.Open())
        {
            entry.CopyTo(assembly);
        }

        assembly.Position = 0;
        using var pe = new PEReader(assembly);
        var reader = pe.GetMetadataReader();
        var publicTypes = reader.TypeDefinitions
            .Select(reader.GetTypeDefinition)
            .Where(t => (t.Attributes & TypeAttributes.VisibilityMask) == TypeAttributes.Public)
            .Select(t => $"{reader.GetString(t.Namespace)}.{reader.GetString(t.Name).Split('`')[0]}")
            .ToArray();

        Assert.NotEmpty(publicTypes);
        Assert.All(publicTypes, type => Assert.Contains(declared, line => line.StartsWith(type, StringComparison.Ordinal) || line.Contains(" " + type, StringComparison.Ordinal)));
    }
}
