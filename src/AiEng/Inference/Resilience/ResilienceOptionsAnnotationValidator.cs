using Microsoft.Extensions.Options;

namespace AiEng.Inference;

/// <summary>Checks the data annotations of <see cref="ResilienceOptions"/> and its <see cref="CircuitBreakerOptions"/> (generated).</summary>
[OptionsValidator]
internal sealed partial class ResilienceOptionsAnnotationValidator : IValidateOptions<ResilienceOptions>
{
}
