using Microsoft.Extensions.Options;

namespace AiEng.Prompts;

/// <summary>Checks the data annotations of <see cref="PromptRegistryOptions"/> and its <see cref="PromptTemplateOptions"/> (generated).</summary>
[OptionsValidator]
internal sealed partial class PromptRegistryOptionsAnnotationValidator : IValidateOptions<PromptRegistryOptions>
{
}
