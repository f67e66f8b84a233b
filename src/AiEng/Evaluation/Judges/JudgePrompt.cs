using AiEng.Prompts;
using Microsoft.Extensions.AI;

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
}
