using AiEng.Providers;
using AiEng.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng.Evaluation;

/// <summary>
/// Checks at start-up that <see cref="EvaluationServiceOptions.JudgeModel"/> names a chat model AiEng serves, naming the key
/// <c>AiEng:Evaluation:JudgeModel</c>: a rule across AiEng's own options that data annotations cannot express. The ranges of
/// single values are the options' data annotations (<see cref="EvaluationServiceOptionsAnnotationValidator"/>).
/// </summary>
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

        if (options.JudgeModel is { Length: > 0 } judge)
        {
            string key = Key(nameof(options.JudgeModel));
            if (string.IsNullOrWhiteSpace(judge))
            {
                return ValidateOptionsResult.Fail(
                    $"{key} is blank: set it to the name of a chat model under {_aiEng.ConfigurationPath}:ChatModels, or leave it unset to judge with the default chat model{ConfigurationKeys.ForExample(key, "smart")}.");
            }

            if (ChatModelNames() is { } known && !known.Contains(judge, StringComparer.OrdinalIgnoreCase))
            {
                return ValidateOptionsResult.Fail(UnknownJudgeModel(judge, known));
            }
        }

        return ValidateOptionsResult.Success;
    }

    private string UnknownJudgeModel(string judgeModel, string[] names)
    {
        string path = _aiEng.ConfigurationPath;
        string key = Key(nameof(EvaluationServiceOptions.JudgeModel));
        string model = ConfigurationKeys.EnvironmentVariable($"{path}:ChatModels:{judgeModel}");
        string known = names.Length == 0
            ? "No named chat model is configured."
            : $"Configured chat models: {string.Join(", ", names)}.";
        return $"{key} is '{judgeModel}', but no chat model of that name is configured: add it under {path}:ChatModels:{judgeModel} "
            + $"(for example {path}:ChatModels:{judgeModel}:Provider = OpenAI and {path}:ChatModels:{judgeModel}:Model = gpt-4o-mini, environment variables "
            + $"{model}__Provider=OpenAI and {model}__Model=gpt-4o-mini), "
            + $"serve it with UseChatClient(factory, \"{judgeModel}\"), or leave {key} unset to judge with the default chat model. {known}";
    }

    private string Key(string option) => _section + ":" + option;
}
