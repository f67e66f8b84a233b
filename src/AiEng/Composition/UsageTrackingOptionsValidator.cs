using AiEng.Configuration;
using AiEng.Inference;
using AiEng.Shared;
using Microsoft.Extensions.Options;

namespace AiEng.Composition;

/// <summary>
/// The checks of <see cref="UsageTrackingOptions"/> that its data annotations cannot make: every price and budget of the
/// dictionaries <see cref="UsageTrackingOptions.Prices"/> and <see cref="UsageTrackingOptions.Budgets"/> (their own annotations,
/// run per entry under the entry's key) and a budget that sets no limit. The annotations of the options themselves are
/// checked by <see cref="UsageTrackingOptionsAnnotationValidator"/>; both run at start-up.
/// </summary>
internal sealed class UsageTrackingOptionsValidator : IValidateOptions<UsageTrackingOptions>
{
    private static readonly ModelPriceAnnotationValidator PriceAnnotations = new();
    private static readonly UsageBudgetAnnotationValidator BudgetAnnotations = new();
    private readonly OptionsSection<UsageTrackingOptions>[] _sections;

    /// <summary>Initializes a new instance of the <see cref="UsageTrackingOptionsValidator"/> class.</summary>
    /// <param name="sections">Where the options are configured (<c>AiEng:Usage</c>).</param>
    public UsageTrackingOptionsValidator(IEnumerable<OptionsSection<UsageTrackingOptions>> sections)
    {
        _sections = sections.ToArray();
    }

    /// <summary>Adds a message for each invalid price or budget of <paramref name="options"/>.</summary>
    /// <param name="options">The options.</param>
    /// <param name="path">The configuration section the options come from, for example <c>AiEng:Usage</c>.</param>
    /// <param name="errors">Receives the messages.</param>
    public static void AddErrors(UsageTrackingOptions options, string path, ICollection<string> errors)
    {
        var models = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, ModelPrice> entry in options.Prices)
        {
            string key = $"{path}:Prices:{entry.Key}";
            string model = entry.Value?.Model ?? entry.Key;
            if (entry.Value?.Model is { } named && string.IsNullOrWhiteSpace(named))
            {
                errors.Add($"{key}:Model is empty; give the model id the price is for, for example {key}:Model=ft:gpt-4o-mini-2024-07-18:acme::9xYz, or remove the setting to price the model '{entry.Key}'.");
            }
            else if (!string.IsNullOrWhiteSpace(model) && !models.TryAdd(model, key))
            {
                errors.Add($"{key} prices the model '{model}', as {models[model]} does; keep one of them.");
            }

            if (string.IsNullOrWhiteSpace(entry.Key))
            {
                errors.Add($"{path}:Prices has an empty model id; key each price by a model id, for example {path}:Prices:gpt-4o-mini:InputPerMillion=0.15.");
            }

            if (entry.Value is not { } price)
            {
                errors.Add($"{key} has no price; set InputPerMillion and OutputPerMillion, for example {key}:InputPerMillion=0.15{ConfigurationKeys.ForExample(key + ":InputPerMillion", null)}.");
                continue;
            }

            AnnotationFailures.Add(PriceAnnotations, price, key, errors);
        }

        foreach (KeyValuePair<string, UsageBudget> entry in options.Budgets)
        {
            string key = $"{path}:Budgets:{entry.Key}";
            if (string.IsNullOrWhiteSpace(entry.Key))
            {
                errors.Add($"{path}:Budgets has an empty name; name each budget, for example {path}:Budgets:daily:MaxCost=5.");
            }

            if (entry.Value is not { } budget)
            {
                errors.Add($"{key} has no settings; set MaxCost and/or MaxTokens, for example {key}:MaxCost=5{ConfigurationKeys.ForExample(key + ":MaxCost", null)}.");
                continue;
            }

            if (budget.MaxCost is null && budget.MaxTokens is null)
            {
                errors.Add($"{key} sets no limit; set MaxCost (in {options.Currency}) and/or MaxTokens, for example {key}:MaxCost=5 (environment variable {ConfigurationKeys.EnvironmentVariable(key)}__MaxCost=5).");
            }

            AnnotationFailures.Add(BudgetAnnotations, budget, key, errors);
        }
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, UsageTrackingOptions options)
    {
        if (OptionsSection<UsageTrackingOptions>.Find(_sections, name) is not { } section)
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        AddErrors(options, section.Path, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
