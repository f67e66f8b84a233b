using Microsoft.Extensions.AI;

namespace AiEng.Inference;

/// <summary>
/// Sets and reads the <see cref="EmbeddingInputKind"/> of an embedding call: whether its texts are queries or documents.
/// Microsoft.Extensions.AI has no such setting, so AiEng keeps it in <see cref="EmbeddingGenerationOptions.AdditionalProperties"/>
/// under <see cref="InputKindKey"/>, as the string <c>query</c> or <c>document</c>.
/// </summary>
/// <remarks>
/// The value is a string so that it takes part in cache keys (Microsoft.Extensions.AI's caching generators hash the call's
/// options as JSON) and so that any provider can read it without referencing AiEng: a query is never answered with a
/// document's cached vector. Providers for which queries and documents are alike ignore it.
/// </remarks>
public static class EmbeddingGenerationOptionsExtensions
{
    /// <summary>
    /// The key of <see cref="EmbeddingGenerationOptions.AdditionalProperties"/> whose value says what the call's texts are:
    /// <c>query</c> or <c>document</c> (<see cref="EmbeddingInputKind"/>). Absent when unspecified.
    /// </summary>
    public const string InputKindKey = "aieng.input_kind";

    private const string QueryValue = "query";
    private const string DocumentValue = "document";

    /// <summary>
    /// Returns options that say the call's texts are of <paramref name="kind"/>: a copy of <paramref name="options"/> (never
    /// changed) with <see cref="InputKindKey"/> set, or new options when <paramref name="options"/> is <see langword="null"/>.
    /// </summary>
    /// <param name="options">The call's options, or <see langword="null"/>.</param>
    /// <param name="kind">What the texts are; <see cref="EmbeddingInputKind.Unspecified"/> removes the entry.</param>
    /// <returns>New options.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    /// <example><c>await generator.GenerateAsync(chunks, new EmbeddingGenerationOptions().WithInputKind(EmbeddingInputKind.Document));</c></example>
    public static EmbeddingGenerationOptions WithInputKind(this EmbeddingGenerationOptions? options, EmbeddingInputKind kind)
    {
        string? value = kind switch
        {
            EmbeddingInputKind.Unspecified => null,
            EmbeddingInputKind.Query => QueryValue,
            EmbeddingInputKind.Document => DocumentValue,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "The input kind must be Unspecified, Query or Document."),
        };

        EmbeddingGenerationOptions copy = options?.Clone() ?? new EmbeddingGenerationOptions();
        if (value is null)
        {
            copy.AdditionalProperties?.Remove(InputKindKey);
        }
        else
        {
            // Clone copied the dictionary, so the caller's entries stay as they were.
            (copy.AdditionalProperties ??= [])[InputKindKey] = value;
        }

        return copy;
    }

    /// <summary>Reads what the call's texts are from <paramref name="options"/>.</summary>
    /// <param name="options">The call's options, or <see langword="null"/>.</param>
    /// <returns>
    /// <see cref="EmbeddingInputKind.Query"/> or <see cref="EmbeddingInputKind.Document"/> when <see cref="InputKindKey"/> holds
    /// <c>query</c> or <c>document</c> (any case) or that <see cref="EmbeddingInputKind"/>; otherwise
    /// <see cref="EmbeddingInputKind.Unspecified"/>.
    /// </returns>
    public static EmbeddingInputKind GetInputKind(this EmbeddingGenerationOptions? options)
    {
        if (options?.AdditionalProperties is not { } properties || !properties.TryGetValue(InputKindKey, out object? value))
        {
            return EmbeddingInputKind.Unspecified;
        }

        return value switch
        {
            string text when text.Equals(QueryValue, StringComparison.OrdinalIgnoreCase) => EmbeddingInputKind.Query,
            string text when text.Equals(DocumentValue, StringComparison.OrdinalIgnoreCase) => EmbeddingInputKind.Document,
            EmbeddingInputKind kind when kind is EmbeddingInputKind.Query or EmbeddingInputKind.Document => kind,
            _ => EmbeddingInputKind.Unspecified,
        };
    }
}
