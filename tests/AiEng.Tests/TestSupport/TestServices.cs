using AiEng.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiEng.Tests.TestSupport;

/// <summary>Builds service providers with AiEng added from in-memory configuration.</summary>
internal static class TestServices
{
    public static IConfigurationRoot Configuration(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(pair => new KeyValuePair<string, string?>(pair.Key, pair.Value))).Build();

    public static ServiceProvider Build(IConfiguration configuration, Action<AiEngBuilder>? configure = null, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ITokenCounter>(new WordTokenCounter());
        var builder = services.AddAiEng(configuration);
        configure?.Invoke(builder);
        more?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static ServiceProvider Build(params (string Key, string? Value)[] values) => Build(Configuration(values));
}
