using System.Globalization;
using AiEng.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng.Evaluation;

/// <summary>Checks the evaluation options at start-up, naming the configuration keys (<c>AiEng:Evaluation:JudgeModel</c>) and giving examples.</summary>
internal sealed class EvaluationServiceOptionsValidator : IValidateOptions<EvaluationServiceOptions>
{
    private readonly AiEngBuilder _aiEng;
    private readonly IServiceProvider _services;
    private readonly string _section;

    /// <summary>Initializes a new instance of the <see cref="EvaluationServiceOptionsValidator"/> class.</summary>
    /// <param name="aiEng">Knows the configuration path AiEng was bound from and the keyed chat clients registered.</param>
    /// <param name="services">Gives AiEng's options, whose named chat models can judge.</param>
    public EvaluationServiceOptionsValidator(AiEngBuilder aiEng, IServiceProvider services)
    {
        _aiEng = aiEng;
        _services = services;
        _section = aiEng.ConfigurationPath + ":Evaluation";
    }

    /// <summary>Gets an example valid value of the option <paramref name="key"/>.</summary>
    public static string Example(string key) => key switch
    {
        nameof(EvaluationServiceOptions.MaxConcurrency) => EvaluationServiceOptions.DefaultMaxConcurrency.ToString(CultureInfo.InvariantCulture),
        nameof(EvaluationServiceOptions.Resume) => "false",
        nameof(EvaluationServiceOptions.JudgeModel) => "smart",
        _ => "nightly",
    };

    /// <summary>
    /// Gets the key to resolve the judge <paramref name="judgeModel"/> with: the spelling of a chat client registered under a
    /// specific key (keyed services match exactly), else <paramref name="judgeModel"/> itself, which AiEng's keyed registration
    /// for any name serves when it is a configured model (configuration keys match in any letter case).
    /// </summary>
    public static string KeyOf(AiEngBuilder aiEng, string judgeModel)
    {
        var registered = RegisteredNames(aiEng).ToList();
        return registered.FirstOrDefault(name => string.Equals(name, judgeModel, StringComparison.Ordinal))
            ?? registered.FirstOrDefault(name => string.Equals(name, judgeModel, StringComparison.OrdinalIgnoreCase))
            ?? judgeModel;
    }

    /// <summary>
    /// Gets the names of the chat clients registered under a specific string key (by the application, or by
    /// <c>UseChatClient(factory, name)</c>), not AiEng's registration for any key.
    /// </summary>
    private static IEnumerable<string> RegisteredNames(AiEngBuilder aiEng) =>
        aiEng.Services
            .Where(descriptor => descriptor.IsKeyedService && descriptor.ServiceType == typeof(IChatClient))
            .Select(descriptor => descriptor.ServiceKey as string)
            .OfType<string>();

    /// <summary>Gets the chat models that can judge: the named models of AiEng's options and the keyed chat clients registered.</summary>
    private string[]? ChatModelNames()
    {
        IEnumerable<string> configured;
        try
        {
            configured = _services.GetService<IOptions<AiEngOptions>>()?.Value.ChatModels.Keys ?? [];
        }
        catch (OptionsValidationException)
        {
            // AiEng's own validation reports its options; the judge cannot be checked against them.
            return null;
        }

        return configured.Union(RegisteredNames(_aiEng), StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToArray();
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, EvaluationServiceOptions options)
    {
        if (name != Options.DefaultName)
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>(options.ConfigurationErrors);
        if (options.JudgeModel is { Length: > 0 } judge)
        {
            if (string.IsNullOrWhiteSpace(judge))
            {
                errors.Add($"{Key(nameof(options.JudgeModel))} is blank: set it to the name of a chat model under {_aiEng.ConfigurationPath}:ChatModels, for example {Example(nameof(options.JudgeModel))}, or leave it unset to judge with the default chat model.");
            }
            else if (ChatModelNames() is { } known && !known.Contains(judge, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add(UnknownJudgeModel(judge, known));
            }
        }

        if (string.IsNullOrWhiteSpace(options.RunName))
        {
            errors.Add($"{Key(nameof(options.RunName))} is empty: set it to the name the reports give the run, for example {Example(nameof(options.RunName))}.");
        }

        if (options.MaxConcurrency < 1)
        {
            errors.Add($"{Key(nameof(options.MaxConcurrency))} is {options.MaxConcurrency} but must be at least 1, for example {Example(nameof(options.MaxConcurrency))}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private string UnknownJudgeModel(string judgeModel, string[] names)
    {
        string path = _aiEng.ConfigurationPath;
        string key = Key(nameof(EvaluationServiceOptions.JudgeModel));
        string known = names.Length == 0
            ? "No named chat model is configured."
            : $"Configured chat models: {string.Join(", ", names)}.";
        return $"{key} is '{judgeModel}', but no chat model of that name is configured: add it under {path}:ChatModels:{judgeModel} "
            + $"(for example {path}:ChatModels:{judgeModel}:Provider = OpenAI and {path}:ChatModels:{judgeModel}:Model = gpt-4o-mini), "
            + $"serve it with UseChatClient(factory, \"{judgeModel}\"), or leave {key} unset to judge with the default chat model. {known}";
    }

    private string Key(string option) => _section + ":" + option;
}
