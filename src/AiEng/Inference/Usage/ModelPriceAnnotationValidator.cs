using Microsoft.Extensions.Options;

namespace AiEng.Inference;

/// <summary>Checks the data annotations of <see cref="ModelPrice"/> (generated).</summary>
[OptionsValidator]
internal sealed partial class ModelPriceAnnotationValidator : IValidateOptions<ModelPrice>
{
}
