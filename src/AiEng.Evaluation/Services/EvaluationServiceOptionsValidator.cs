using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng.Evaluation;

/// <summary>Checks the evaluation options at start-up, naming the configuration keys (<c>AiEng:Evaluation:JudgeModel</c>) and giving examples.</summary>
internal sealed class EvaluationServiceOptionsValidator : IValidateOptions<EvaluationServiceOptions>
{
    private readonly AiEngBuilder _aiEng;
    private readonly IServiceProviderIsKeyedService? _keyed;
    private readonly string _section;

    /// <summary>Initializes a new instance of the <see cref="EvaluationServiceOptionsValidator"/> class.</summary>
    /// <param name="aiEng">Knows the configuration path AiEng was bound from and the named chat models.</param>
    /// <param name="services">Tells whether a keyed chat client of the judge's name is registered, when the container can.</param>
    public EvaluationServiceOptionsValidator(AiEngBuilder aiEng, IServiceProvider services)
    {
        _aiEng = aiEng;
        _keyed = services.GetService<IServiceProviderIsKeyedService>();
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
    /// Gets the registered spelling of the named chat model <paramref name="judgeModel"/> (configuration keys match in any
    /// letter case, keyed services do not), or <paramref name="judgeModel"/> itself when AiEng does not know it.
    /// </summary>
    public static string KeyOf(AiEngBuilder aiEng, string judgeModel) =>
        aiEng.ChatModelNames.FirstOrDefault(name => string.Equals(name, judgeModel, StringComparison.Ordinal))
        ?? aiEng.ChatModelNames.FirstOrDefault(name => string.Equals(name, judgeModel, StringComparison.OrdinalIgnoreCase))
        ?? judgeModel;

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
            else if (!(_keyed?.IsKeyedService(typeof(IChatClient), KeyOf(_aiEng, judge)) ?? _aiEng.ChatModelNames.Any(known => string.Equals(known, judge, StringComparison.OrdinalIgnoreCase))))
            {
                errors.Add(UnknownJudgeModel(judge));
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

    private string UnknownJudgeModel(string judgeModel)
    {
        string path = _aiEng.ConfigurationPath;
        string key = Key(nameof(EvaluationServiceOptions.JudgeModel));
        string known = _aiEng.ChatModelNames.Count == 0
            ? "No named chat model is configured."
            : $"Configured chat models: {string.Join(", ", _aiEng.ChatModelNames.Order(StringComparer.OrdinalIgnoreCase))}.";
        return $"{key} is '{judgeModel}', but no chat model of that name is configured: add it under {path}:ChatModels:{judgeModel} "
            + $"(for example {path}:ChatModels:{judgeModel}:Provider = OpenAI and {path}:ChatModels:{judgeModel}:Model = gpt-4o-mini), "
            + $"serve it with UseChatClient(factory, \"{judgeModel}\"), or leave {key} unset to judge with the default chat model. {known}";
    }

    private string Key(string option) => _section + ":" + option;
}
