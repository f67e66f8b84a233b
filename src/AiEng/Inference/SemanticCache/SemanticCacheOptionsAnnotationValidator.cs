using Microsoft.Extensions.Options;

namespace AiEng.Inference;

/// <summary>Checks the data annotations of <see cref="SemanticCacheOptions"/> (generated).</summary>
[OptionsValidator]
internal sealed partial class SemanticCacheOptionsAnnotationValidator : IValidateOptions<SemanticCacheOptions>
{
}
