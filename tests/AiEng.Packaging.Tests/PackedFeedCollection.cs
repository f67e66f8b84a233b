namespace AiEng.Packaging.Tests;

/// <summary>Shares one packed feed between the packaging test classes.</summary>
[CollectionDefinition(Name)]
public sealed class PackedFeedCollection : ICollectionFixture<PackedFeedFixture>
{
    public const string Name = "Packed feed";
}
