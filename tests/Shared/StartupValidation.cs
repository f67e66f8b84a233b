using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng;

/// <summary>Runs the options validation that a host runs when it starts (<c>ValidateOnStart</c>), without a host.</summary>
internal static class StartupValidation
{
    /// <summary>Validates every options type registered with <c>ValidateOnStart</c>; throws what the host would throw.</summary>
    public static void Validate(IServiceProvider services) =>
        services.GetRequiredService<IAsyncStartupValidator>().ValidateAsync(CancellationToken.None).GetAwaiter().GetResult();
}
