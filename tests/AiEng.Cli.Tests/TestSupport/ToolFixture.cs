namespace AiEng.Cli.Tests.TestSupport;

/// <summary>Gives a test class the installed tool (<see cref="InstalledTool.Shared"/>): packed and installed once per run.</summary>
public sealed class ToolFixture : IAsyncLifetime
{
    public InstalledTool Tool { get; private set; } = null!;

    public async Task InitializeAsync() => Tool = await InstalledTool.Shared.Value;

    public Task DisposeAsync() => Task.CompletedTask;
}
