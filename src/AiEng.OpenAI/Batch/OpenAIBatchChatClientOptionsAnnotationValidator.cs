using Microsoft.Extensions.Options;

namespace AiEng.OpenAI;

/// <summary>Checks the data annotations of <see cref="OpenAIBatchChatClientOptions"/> (generated).</summary>
[OptionsValidator]
internal sealed partial class OpenAIBatchChatClientOptionsAnnotationValidator : IValidateOptions<OpenAIBatchChatClientOptions>
{
}
