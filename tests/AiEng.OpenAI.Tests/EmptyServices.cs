namespace AiEng.OpenAI.Tests;

/// <summary>A service provider with no services; the provider needs none.</summary>
internal sealed class EmptyServices : IServiceProvider
{
    public static readonly EmptyServices Instance = new();

    public object? GetService(Type serviceType) => null;
}
