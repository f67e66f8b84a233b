using Microsoft.Extensions.Options;

namespace AiEng.Evaluation;

/// <summary>Checks the data annotations of <see cref="EvaluationServiceOptions"/> (generated).</summary>
[OptionsValidator]
internal sealed partial class EvaluationServiceOptionsAnnotationValidator : IValidateOptions<EvaluationServiceOptions>
{
}
