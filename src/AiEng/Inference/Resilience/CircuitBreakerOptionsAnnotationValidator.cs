using Microsoft.Extensions.Options;

namespace AiEng.Inference;

/// <summary>Checks the data annotations of <see cref="CircuitBreakerOptions"/> on their own, for <see cref="CircuitBreakerOptions.Validate"/> (generated).</summary>
[OptionsValidator]
internal sealed partial class CircuitBreakerOptionsAnnotationValidator : IValidateOptions<CircuitBreakerOptions>
{
}
