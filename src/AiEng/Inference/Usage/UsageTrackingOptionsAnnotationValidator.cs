using Microsoft.Extensions.Options;

namespace AiEng.Inference;

/// <summary>Checks the data annotations of <see cref="UsageTrackingOptions"/> (generated).</summary>
[OptionsValidator]
internal sealed partial class UsageTrackingOptionsAnnotationValidator : IValidateOptions<UsageTrackingOptions>
{
}
