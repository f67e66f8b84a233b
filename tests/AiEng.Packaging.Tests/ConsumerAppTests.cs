namespace AiEng.Packaging.Tests;

[Collection(PackedFeedCollection.Name)]
public sealed class ConsumerAppTests(PackedFeedFixture feed) : IDisposable
{
    private readonly string _appDirectory = Path.Combine(Path.GetTempPath(), "aieng-consumer-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task An_application_outside_the_repository_builds_and_runs_against_the_packed_packages()
    {
        Directory.CreateDirectory(_appDirectory);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Consumer")))
        {
            File.Copy(file, Path.Combine(_appDirectory, Path.GetFileName(file)));
        }

        // The folder feed comes first; everything else restores from the machine's usual sources.
        await File.WriteAllTextAsync(Path.Combine(_appDirectory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="aieng-local" value="{feed.FeedDirectory}" />
              </packageSources>
            </configuration>
            """);

        var output = await ProcessRunner.RunAsync(
            "dotnet",
            $"run -p:AiEngVersion={feed.Version} -nologo",
            _appDirectory,
            TimeSpan.FromMinutes(8));

        Assert.Contains("consumer: chat provider aieng-offline", output, StringComparison.Ordinal);
        Assert.Contains("consumer: embedding dimensions 384", output, StringComparison.Ordinal);
        Assert.Contains("consumer: test server answered", output, StringComparison.Ordinal);
        Assert.Contains("[1]", output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_appDirectory))
        {
            Directory.Delete(_appDirectory, recursive: true);
        }
    }
}
