using System.ComponentModel.DataAnnotations;
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Inference;

/// <summary>Options of the semantic cache (<c>ChatClientBuilder.UseSemanticCache</c>): when a stored response may answer a new request, and for how long.</summary>
public sealed class SemanticCacheOptions
{
    /// <summary>The configuration section the AiEng DI layer binds <see cref="Threshold"/>, <see cref="TimeToLive"/>, <see cref="MaxCandidates"/> and <see cref="MaxEntries"/> from.</summary>
    public const string ConfigurationSection = "AiEng:SemanticCache";

    /// <summary>The default <see cref="Threshold"/>: 0.70, chosen on the train split of the labelled question pairs with all-MiniLM-L6-v2 and the default guard: the lowest threshold without a false hit there (0.65) plus a margin of 0.05 (docs/inference-cost.md).</summary>
    public const double DefaultThreshold = 0.70;

    /// <summary>
    /// Gets or sets the cosine similarity, between the embeddings of the new question and a cached question, from which the
    /// cached response may be served (the <see cref="Guard"/> must agree too). Between 0 and 1; default <see cref="DefaultThreshold"/>.
    /// The right value depends on the embedding model: measure it on your own question pairs when you change the model.
    /// </summary>
    [Range(0.0, 1.0, ErrorMessage = "{0} must be a cosine similarity between 0 and 1, for example 0.9")]
    public double Threshold { get; set; } = DefaultThreshold;

    /// <summary>Gets or sets how long a response stays servable after it was cached. Default one day.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "3650.00:00:00", ErrorMessage = "{0} must be positive, for example 01:00:00 for one hour")]
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Gets or sets the check that a cached question may answer a new one once their similarity reaches the <see cref="Threshold"/>.
    /// Default a <see cref="KeyTermSemanticCacheGuard"/> (the numbers, negations, names and units of both must agree);
    /// <see langword="null"/> for cosine similarity alone.
    /// </summary>
    public ISemanticCacheGuard? Guard { get; set; } = new KeyTermSemanticCacheGuard();

    /// <summary>
    /// Gets or sets how many of the most similar cached questions are checked, in order, against the threshold, the guard and
    /// expiry before a request is a miss. Default 3.
    /// </summary>
    [Range(1, 100, ErrorMessage = "{0} must be between 1 and 100, for example 3")]
    public int MaxCandidates { get; set; } = 3;

    /// <summary>
    /// Gets or sets how many entries the default in-memory index keeps; adding one more drops the oldest. Default 10,000.
    /// A vector collection given to <c>UseSemanticCache</c> is not limited by it (expired entries are removed when a search meets them).
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = "{0} must be at least 1, for example 10000")]
    public int MaxEntries { get; set; } = 10_000;

    /// <summary>
    /// Gets or sets a callback that adds its value to the scope of a request, or <see langword="null"/> (the default) for
    /// none. Requests whose values differ never share responses: return, for example, the tenant or user id when answers
    /// must not cross them, or a knowledge-base version that changes when the documents behind the answers do. It receives
    /// the request's messages and options.
    /// </summary>
    public Func<IReadOnlyList<ChatMessage>, ChatOptions?, string?>? AdditionalScope { get; set; }

    /// <summary>Checks these options and returns a copy, so that later changes by the caller have no effect.</summary>
    /// <param name="paramName">The parameter named in the exception.</param>
    /// <returns>The copy.</returns>
    /// <exception cref="ArgumentException">An option is invalid; the message names each one and a valid value.</exception>
    internal SemanticCacheOptions ValidateAndClone(string paramName)
    {
        var errors = new List<string>();
        AnnotationFailures.Add(new SemanticCacheOptionsAnnotationValidator(), this, ConfigurationSection, errors);
        if (errors.Count > 0)
        {
            throw new ArgumentException($"The semantic cache options are invalid: {string.Join(" ", errors)}", paramName);
        }

        return new SemanticCacheOptions
        {
            Threshold = Threshold,
            TimeToLive = TimeToLive,
            Guard = Guard,
            MaxCandidates = MaxCandidates,
            MaxEntries = MaxEntries,
            AdditionalScope = AdditionalScope,
        };
    }
}
