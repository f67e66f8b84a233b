using Microsoft.Extensions.Options;

namespace AiEng.Inference;

/// <summary>Checks the data annotations of <see cref="UsageBudget"/> (generated).</summary>
[OptionsValidator]
internal sealed partial class UsageBudgetAnnotationValidator : IValidateOptions<UsageBudget>
{
}
