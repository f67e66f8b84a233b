using Microsoft.Extensions.Options;

namespace AiEng.Configuration;

/// <summary>
/// Reports the configuration values of options registered with <c>AiEngBuilder.AddOptions</c> that the binder could not
/// convert, every one with its key, environment variable and an example. Options it does not know are skipped.
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
internal sealed class OptionsSectionValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    private readonly OptionsSection<TOptions>[] _sections;

    /// <summary>Initializes a new instance of the <see cref="OptionsSectionValidator{TOptions}"/> class.</summary>
    /// <param name="sections">Where each named instance of the options is configured.</param>
    public OptionsSectionValidator(IEnumerable<OptionsSection<TOptions>> sections)
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

        IReadOnlyList<string> errors = section.BindingErrors(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
