using AiEng.Prompts;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AiEng.Evaluation;

/// <summary>
/// The judges' prompts: AiEng prompt files (<c>Judges/Prompts/*.prompty</c>) embedded in this assembly and served by a
/// <see cref="PromptRegistry"/>, so they are parsed, validated (typed inputs) and rendered by <see cref="PromptTemplate"/>
/// like any application prompt with a name, version and content hash.
/// </summary>
internal static class JudgePrompt
{
    private const string ResourcePrefix = "AiEng.Evaluation.Judges.Prompts.";

    private static readonly Lazy<PromptRegistry> Registry = new(
        static () => PromptRegistry.FromEmbeddedResources(typeof(JudgePrompt).Assembly, ResourcePrefix));

    /// <summary>The template of the judge prompt <paramref name="name"/>.</summary>
    /// <exception cref="InvalidOperationException">No such prompt is embedded.</exception>
    public static IPromptTemplate Get(string name) =>
        Registry.Value.TryGet(name, out IPromptTemplate? template)
            ? template
            : throw new InvalidOperationException($"The judge prompt '{name}' is not embedded in {typeof(JudgePrompt).Assembly.GetName().Name}.");

    /// <summary>Renders the judge prompt <paramref name="name"/> with string inputs.</summary>
    public static (IList<ChatMessage> Messages, PromptId Id) Render(string name, IReadOnlyDictionary<string, string> values)
    {
        var template = Get(name);
        var inputs = values.ToDictionary(static p => p.Key, static p => (object?)p.Value, StringComparer.Ordinal);
        return (template.Render(inputs).Messages, template.Id);
    }

    /// <summary>
    /// Adds the ids and content hashes of the judge prompts <paramref name="names"/> to every metric of
    /// <paramref name="result"/> under <see cref="JudgePrompts.MetadataKey"/>.
    /// </summary>
    public static EvaluationResult Cite(EvaluationResult result, params string[] names)
    {
        string citation = string.Join(", ", names.Select(static name => Get(name).Id).Select(static id => $"{id} sha256:{id.ContentHash}"));
        foreach (var metric in result.Metrics.Values)
        {
            metric.AddOrUpdateMetadata(JudgePrompts.MetadataKey, citation);
        }

        return result;
    }
}
