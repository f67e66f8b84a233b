namespace AiEng.Cli.Tests.TestSupport;

/// <summary>Every test class runs the one installed tool: packed and installed once per run.</summary>
[CollectionDefinition(Name)]
public sealed class InstalledToolCollection : ICollectionFixture<InstalledTool>
{
    public const string Name = "Installed aieng tool";
}
