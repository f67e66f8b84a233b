using AiEng.Samples.Rag;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Samples.Tests.Rag;

/// <summary>
/// The sample's services with no configuration at all (the offline defaults: extractive responder, local MiniLM), as on
/// a fresh clone; created once per test class so the model loads once. Embeddings are cached in a temporary folder.
/// </summary>
public sealed class OfflineRagServices : IDisposable
{
    private readonly string _cacheRoot = Path.Combine(Path.GetTempPath(), "aieng-rag-cache-" + Guid.NewGuid().ToString("N"));

    public OfflineRagServices()
    {
        Provider = new ServiceCollection()
            .AddRagSample(new ConfigurationBuilder().Build(), new RagPaths(_cacheRoot, _cacheRoot))
            .BuildServiceProvider();
    }

    public ServiceProvider Provider { get; }

    public void Dispose()
    {
        Provider.Dispose();
        if (Directory.Exists(_cacheRoot))
        {
            Directory.Delete(_cacheRoot, recursive: true);
        }
    }
}
