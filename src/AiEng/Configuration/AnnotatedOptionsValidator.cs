using AiEng.Shared;
using Microsoft.Extensions.Options;

namespace AiEng.Configuration;

/// <summary>
/// Validates options registered with <c>AiEngBuilder.AddOptions</c> with a data-annotation validator (one generated with
/// <c>[OptionsValidator]</c>) and reports each failure with the key under the options' configuration section, its environment
/// variable and an example, instead of the validator's raw message. Options it does not know are skipped.
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
/// <typeparam name="TValidator">The data-annotation validator.</typeparam>
internal sealed class AnnotatedOptionsValidator<TOptions, TValidator> : IValidateOptions<TOptions>
    where TOptions : class
    where TValidator : class, IValidateOptions<TOptions>, new()
{
    private readonly TValidator _validator = new();
    private readonly OptionsSection<TOptions>[] _sections;

    /// <summary>Initializes a new instance of the <see cref="AnnotatedOptionsValidator{TOptions, TValidator}"/> class.</summary>
    /// <param name="sections">Where each named instance of the options is configured.</param>
    public AnnotatedOptionsValidator(IEnumerable<OptionsSection<TOptions>> sections)
    {
        _sections = sections.ToArray();
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        if (OptionsSection<TOptions>.Find(_sections, name) is not { } section)
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        AnnotationFailures.Add(_validator, options, section.Path, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
