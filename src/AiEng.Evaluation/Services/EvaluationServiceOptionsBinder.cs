using AiEng.Shared;
using Microsoft.Extensions.Configuration;

namespace AiEng.Evaluation;

/// <summary>
/// Reads <see cref="EvaluationServiceOptions"/> from the <c>AiEng:Evaluation</c> section, keeping each unreadable value as an
/// error that start-up validation reports with the key and an example (the configuration binder would throw on the first).
/// </summary>
internal static class EvaluationServiceOptionsBinder
{
    /// <summary>Sets the options present in <paramref name="section"/>; keeps the others.</summary>
    public static void Bind(IConfigurationSection section, EvaluationServiceOptions options)
    {
        if (section[nameof(EvaluationServiceOptions.JudgeModel)] is { } judgeModel)
        {
            // An empty value (for example AiEng__Evaluation__JudgeModel=) clears the setting: the default chat model judges.
            options.JudgeModel = judgeModel.Length == 0 ? null : judgeModel;
        }

        if (section[nameof(EvaluationServiceOptions.RunName)] is { } runName)
        {
            options.RunName = runName;
        }

        if (section[nameof(EvaluationServiceOptions.OutputDirectory)] is { } output)
        {
            options.OutputDirectory = output.Length == 0 ? null : output;
        }

        if (section[nameof(EvaluationServiceOptions.CacheDirectory)] is { } cache)
        {
            options.CacheDirectory = cache.Length == 0 ? null : cache;
        }

        string key = nameof(EvaluationServiceOptions.MaxConcurrency);
        if (ConfigurationValues.ReadInt(section, key, options.ConfigurationErrors, EvaluationServiceOptionsValidator.Example(key)) is int concurrency)
        {
            options.MaxConcurrency = concurrency;
        }

        key = nameof(EvaluationServiceOptions.Resume);
        if (ConfigurationValues.ReadBool(section, key, options.ConfigurationErrors, EvaluationServiceOptionsValidator.Example(key)) is bool resume)
        {
            options.Resume = resume;
        }
    }
}
