using Microsoft.Extensions.Options;

namespace AiEng.FineTuning;

/// <summary>Checks the data annotations of <see cref="EmbeddingAdapterTrainingOptions"/> (generated).</summary>
[OptionsValidator]
internal sealed partial class EmbeddingAdapterTrainingOptionsValidator : IValidateOptions<EmbeddingAdapterTrainingOptions>
{
}
