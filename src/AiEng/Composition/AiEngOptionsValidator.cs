using AiEng.Providers;
using Microsoft.Extensions.Options;

namespace AiEng.Composition;

/// <summary>
/// Start-up validation of <see cref="AiEngOptions"/> (registered with <c>ValidateOnStart</c>): every configured model must
/// name a registered provider that serves its kind, have a well-formed endpoint and a model id where the provider needs one,
/// and pass the provider's own checks. Each message names the configuration key and gives an example of a valid value.
/// </summary>
internal sealed class AiEngOptionsValidator : IValidateOptions<AiEngOptions>
{
    private readonly ModelResolver _resolver;

    /// <summary>Initializes a new instance of the <see cref="AiEngOptionsValidator"/> class.</summary>
    /// <param name="providers">The registered providers.</param>
    /// <param name="registry">The registrations made through <c>AiEngBuilder</c>.</param>
    public AiEngOptionsValidator(IEnumerable<ModelProvider> providers, AiEngRegistry registry)
    {
        _resolver = new ModelResolver(providers, registry);
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AiEngOptions options)
    {
        if (name != Options.DefaultName)
        {
            return ValidateOptionsResult.Skip;
        }

        if (options is null)
        {
            return ValidateOptionsResult.Fail("AiEng options are missing.");
        }

        var errors = new List<string>();
        foreach (var model in _resolver.DescribeAll(options))
        {
            if (!_resolver.IsDeferred(model))
            {
                _resolver.Validate(model, errors);
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
