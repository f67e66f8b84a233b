using AiEng.Configuration;
using AiEng.Inference;
using AiEng.Shared;
using Microsoft.Extensions.Options;

namespace AiEng.Composition;

/// <summary>
/// The rules of <see cref="ResilienceOptions"/> across two values, which data annotations cannot express: the longest delay
/// is not shorter than the first one, and the total timeout not shorter than the attempt timeout. The ranges of single values
/// are the options' data annotations (<see cref="ResilienceOptionsAnnotationValidator"/>); both run at start-up.
/// </summary>
internal sealed class ResilienceOptionsValidator : IValidateOptions<ResilienceOptions>
{
    private static readonly TimeSpan DefaultMaxDelay = new ResilienceOptions().MaxDelay;
    private static readonly TimeSpan DefaultTotalTimeout = new ResilienceOptions().TotalTimeout!.Value;
    private readonly OptionsSection<ResilienceOptions>[] _sections;

    /// <summary>Initializes a new instance of the <see cref="ResilienceOptionsValidator"/> class.</summary>
    /// <param name="sections">Where the options are configured (<c>AiEng:Resilience</c>).</param>
    public ResilienceOptionsValidator(IEnumerable<OptionsSection<ResilienceOptions>> sections)
    {
        _sections = sections.ToArray();
    }

    /// <summary>Adds a message for each rule across values that <paramref name="options"/> break.</summary>
    /// <param name="options">The options.</param>
    /// <param name="path">The configuration section the options come from, for example <c>AiEng:Resilience</c>.</param>
    /// <param name="errors">Receives the messages.</param>
    public static void AddErrors(ResilienceOptions options, string path, ICollection<string> errors)
    {
        if (options.MaxDelay < options.BaseDelay)
        {
            string key = path + ":" + nameof(ResilienceOptions.MaxDelay);
            errors.Add(ConfigurationKeys.Invalid(
                key, options.MaxDelay, $"must be at least {path}:{nameof(ResilienceOptions.BaseDelay)} ({ConfigurationKeys.FormatExample(options.BaseDelay)})", ConfigurationKeys.FormatExample(options.BaseDelay > DefaultMaxDelay ? options.BaseDelay : DefaultMaxDelay)));
        }

        if (options.AttemptTimeout is { } attempt && options.TotalTimeout is { } total && total < attempt)
        {
            string key = path + ":" + nameof(ResilienceOptions.TotalTimeout);
            errors.Add(ConfigurationKeys.Invalid(
                key, total, $"must be at least {path}:{nameof(ResilienceOptions.AttemptTimeout)} ({ConfigurationKeys.FormatExample(attempt)}), or null for no limit", ConfigurationKeys.FormatExample(attempt > DefaultTotalTimeout ? attempt : DefaultTotalTimeout)));
        }
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ResilienceOptions options)
    {
        if (OptionsSection<ResilienceOptions>.Find(_sections, name) is not { } section)
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        AddErrors(options, section.Path, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
