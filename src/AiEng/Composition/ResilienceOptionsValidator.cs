using AiEng.Inference;
using Microsoft.Extensions.Options;

namespace AiEng.Composition;

/// <summary>
/// Start-up validation of the <see cref="ResilienceOptions"/> bound from <c>AiEng:Resilience</c> (registered with
/// <c>ValidateOnStart</c>), so that an out-of-range setting fails when the host starts rather than at the first call.
/// </summary>
internal sealed class ResilienceOptionsValidator : IValidateOptions<ResilienceOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ResilienceOptions options)
    {
        if (name != Options.DefaultName)
        {
            return ValidateOptionsResult.Skip;
        }

        // Every value out of range is reported together, not only the first.
        var errors = new List<string>();
        options.Validate(errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
