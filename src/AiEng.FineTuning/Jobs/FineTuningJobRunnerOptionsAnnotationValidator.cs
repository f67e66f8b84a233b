using Microsoft.Extensions.Options;

namespace AiEng.FineTuning;

/// <summary>Checks the data annotations of <see cref="FineTuningJobRunnerOptions"/> (generated).</summary>
[OptionsValidator]
internal sealed partial class FineTuningJobRunnerOptionsAnnotationValidator : IValidateOptions<FineTuningJobRunnerOptions>;
