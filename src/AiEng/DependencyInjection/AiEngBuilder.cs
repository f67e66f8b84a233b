using AiEng.Providers;
using AiEng.Shared;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures AiEng's services; returned by <c>AddAiEng</c>.</summary>
public sealed class AiEngBuilder
{
    /// <summary>Initializes a new instance of the <see cref="AiEngBuilder"/> class.</summary>
    /// <param name="services">The service collection AiEng is added to.</param>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public AiEngBuilder(IServiceCollection services)
    {
        Services = Throw.IfNull(services);
    }

    /// <summary>Gets the service collection AiEng is added to.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Registers a <see cref="ModelProvider"/>; configured models whose provider name matches it are served by it.</summary>
    /// <param name="provider">The provider.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="provider"/> is <see langword="null"/>.</exception>
    public AiEngBuilder AddProvider(ModelProvider provider)
    {
        Throw.IfNull(provider);
        Services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(ModelProvider), provider));
        return this;
    }
}
