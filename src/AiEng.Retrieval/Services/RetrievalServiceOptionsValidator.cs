using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng.Retrieval;

/// <summary>Checks the retrieval options at start-up, naming the configuration keys (<c>AiEng:Retrieval:Retriever</c>) and giving examples.</summary>
internal sealed class RetrievalServiceOptionsValidator : IValidateOptions<RetrievalServiceOptions>
{
    private static readonly RetrievalServiceOptions Defaults = new();
    private readonly Dictionary<string, string> _sections;

    /// <summary>Initializes a new instance of the <see cref="RetrievalServiceOptionsValidator"/> class.</summary>
    /// <param name="corpora">The registered corpora: their options are validated, under their configuration paths.</param>
    public RetrievalServiceOptionsValidator(IEnumerable<RetrievalCorpus> corpora)
    {
        _sections = corpora.ToDictionary(corpus => corpus.Name ?? Options.DefaultName, corpus => corpus.Section, StringComparer.Ordinal);
    }

    /// <summary>Gets an example valid value of the option <paramref name="key"/>.</summary>
    public static string Example(string key) => key switch
    {
        nameof(RetrievalServiceOptions.ChunkSize) => Defaults.ChunkSize.ToString(CultureInfo.InvariantCulture),
        nameof(RetrievalServiceOptions.ChunkOverlap) => Defaults.ChunkOverlap.ToString(CultureInfo.InvariantCulture),
        nameof(RetrievalServiceOptions.Dimensions) => "384",
        nameof(RetrievalServiceOptions.Retriever) => Defaults.Retriever.ToString(),
        _ => RetrievalServiceOptions.DefaultCollection,
    };

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RetrievalServiceOptions options)
    {
        if (!_sections.TryGetValue(name ?? Options.DefaultName, out string? section))
        {
            return ValidateOptionsResult.Skip;
        }

        string Key(string option) => section + ":" + option;
        var errors = new List<string>(options.ConfigurationErrors);
        if (string.IsNullOrWhiteSpace(options.Collection))
        {
            errors.Add($"{Key(nameof(options.Collection))} is empty: set it to the name of the vector store collection, for example {Example(nameof(options.Collection))}.");
        }

        if (!Enum.IsDefined(options.Retriever))
        {
            errors.Add($"{Key(nameof(options.Retriever))} is {(int)options.Retriever}, which is not a retriever: use {string.Join(", ", Enum.GetNames<RetrieverKind>())}, for example {Example(nameof(options.Retriever))}.");
        }

        if (options.ChunkSize < 1)
        {
            errors.Add($"{Key(nameof(options.ChunkSize))} is {options.ChunkSize} but must be at least 1 token, for example {Example(nameof(options.ChunkSize))}.");
        }
        else if (options.ChunkOverlap < 0 || options.ChunkOverlap >= options.ChunkSize)
        {
            errors.Add(
                $"{Key(nameof(options.ChunkOverlap))} is {options.ChunkOverlap} but must be at least 0 and less than {Key(nameof(options.ChunkSize))} ({options.ChunkSize}), for example {Math.Min(Defaults.ChunkOverlap, options.ChunkSize / 8)}.");
        }

        if (options.Dimensions is < 1)
        {
            errors.Add($"{Key(nameof(options.Dimensions))} is {options.Dimensions} but must be at least 1 when set, for example {Example(nameof(options.Dimensions))} (all-MiniLM-L6-v2); leave it unset to take the embedding model's.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
