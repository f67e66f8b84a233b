using Microsoft.Extensions.Options;

namespace AiEng.Retrieval;

/// <summary>Checks the data annotations of <see cref="RetrievalServiceOptions"/> (generated).</summary>
[OptionsValidator]
internal sealed partial class RetrievalServiceOptionsAnnotationValidator : IValidateOptions<RetrievalServiceOptions>
{
}
