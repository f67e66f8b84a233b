using AiEng.Shared;
using Microsoft.Extensions.Options;

namespace AiEng.Retrieval;

/// <summary>
/// The rules of <see cref="RetrievalServiceOptions"/> that data annotations cannot state: consecutive chunks share fewer
/// tokens than a chunk holds (<c>ChunkOverlap &lt; ChunkSize</c>), and every filterable field is a non-empty key without
/// <c>=</c> (tags are stored as <c>key=value</c>), reported under the corpus's configuration keys. The ranges of single values
/// are the options' data annotations (<see cref="RetrievalServiceOptionsAnnotationValidator"/>); both run at start-up.
/// </summary>
internal sealed class RetrievalServiceOptionsValidator : IValidateOptions<RetrievalServiceOptions>
{
    private readonly Dictionary<string, string> _sections;

    /// <summary>Initializes a new instance of the <see cref="RetrievalServiceOptionsValidator"/> class.</summary>
    /// <param name="corpora">The registered corpora: their options are validated, under their configuration paths.</param>
    public RetrievalServiceOptionsValidator(IEnumerable<RetrievalCorpus> corpora)
    {
        _sections = corpora.ToDictionary(corpus => corpus.Name ?? Options.DefaultName, corpus => corpus.Section, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RetrievalServiceOptions options)
    {
        if (!_sections.TryGetValue(name ?? Options.DefaultName, out string? section))
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();

        // Values out of their own range are the annotations' to report. An unset size is the embedding model's, known only
        // when the model is loaded: the chunker checks the overlap against it when it is created.
        if (options.ChunkSize is int size && size >= 1 && options.ChunkOverlap >= 0 && options.ChunkOverlap >= size)
        {
            string key = section + ":" + nameof(RetrievalServiceOptions.ChunkOverlap);
            string example = Math.Min(RetrievalServiceOptions.DefaultChunkOverlap, size / 8).ToString(System.Globalization.CultureInfo.InvariantCulture);
            failures.Add(ConfigurationKeys.Invalid(
                key, options.ChunkOverlap, $"must be less than {section}:{nameof(RetrievalServiceOptions.ChunkSize)} ({size})", example));
        }

        for (int i = 0; i < options.FilterableFields.Count; i++)
        {
            string? field = options.FilterableFields[i];
            if (string.IsNullOrWhiteSpace(field) || field.Contains('=', StringComparison.Ordinal))
            {
                string key = $"{section}:{nameof(RetrievalServiceOptions.FilterableFields)}:{i}";
                failures.Add(ConfigurationKeys.Invalid(key, field, "must be a metadata key that is not empty and has no '='", "tenant"));
            }
        }

        if (failures.Count > 0)
        {
            return ValidateOptionsResult.Fail(failures);
        }

        return ValidateOptionsResult.Success;
    }
}
