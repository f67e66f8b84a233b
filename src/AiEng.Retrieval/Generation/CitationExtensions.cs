using System.Text.Json;
using System.Text.Json.Serialization;
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Retrieval;

/// <summary>Reads what <see cref="RetrievalChatClient"/> attaches to responses: the citations and the query searched.</summary>
public static class CitationExtensions
{
    // Enums are read as names (as AIJsonUtilities.DefaultOptions writes them) or numbers.
    private static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Gets the sources a grounded answer cites, stored under <see cref="RetrievalChatClient.CitationsKey"/>.</summary>
    /// <param name="response">The response.</param>
    /// <returns>The citations, or an empty list when the response carries none (for example when nothing was retrieved).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is <see langword="null"/>.</exception>
    /// <remarks>Also reads citations that went through JSON, for example a response served from a distributed cache.</remarks>
    public static IReadOnlyList<Citation> GetCitations(this ChatResponse response) => Read(Throw.IfNull(response).AdditionalProperties);

    /// <summary>Gets the citations on a streamed update; <see cref="RetrievalChatClient"/> puts them on the last update of a stream.</summary>
    /// <param name="update">The update.</param>
    /// <returns>The citations, or an empty list when the update carries none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<Citation> GetCitations(this ChatResponseUpdate update) => Read(Throw.IfNull(update).AdditionalProperties);

    /// <summary>Gets the query a grounded call searched with and how it was formed, stored under <see cref="RetrievalChatClient.QueryKey"/>.</summary>
    /// <param name="response">The response.</param>
    /// <returns>The query, or <see langword="null"/> when the response carries none (for example when the conversation had no user question).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is <see langword="null"/>.</exception>
    /// <remarks>Also reads a query that went through JSON, for example a response served from a distributed cache.</remarks>
    public static RetrievalQuery? GetRetrievalQuery(this ChatResponse response) => ReadQuery(Throw.IfNull(response).AdditionalProperties);

    /// <summary>Gets the query on a streamed update; <see cref="RetrievalChatClient"/> puts it on the last update of a stream, beside the citations.</summary>
    /// <param name="update">The update.</param>
    /// <returns>The query, or <see langword="null"/> when the update carries none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is <see langword="null"/>.</exception>
    public static RetrievalQuery? GetRetrievalQuery(this ChatResponseUpdate update) => ReadQuery(Throw.IfNull(update).AdditionalProperties);

    private static RetrievalQuery? ReadQuery(AdditionalPropertiesDictionary? properties)
    {
        if (properties is null || !properties.TryGetValue(RetrievalChatClient.QueryKey, out object? value))
        {
            return null;
        }

        switch (value)
        {
            case RetrievalQuery query:
                return query;
            case JsonElement { ValueKind: JsonValueKind.Object } element:
                try
                {
                    return element.Deserialize<RetrievalQuery>(SerializerOptions);
                }
                catch (JsonException)
                {
                    return null;
                }

            default:
                return null;
        }
    }

    private static IReadOnlyList<Citation> Read(AdditionalPropertiesDictionary? properties)
    {
        if (properties is null || !properties.TryGetValue(RetrievalChatClient.CitationsKey, out object? value))
        {
            return [];
        }

        switch (value)
        {
            case IReadOnlyList<Citation> list:
                return list;
            case IEnumerable<Citation> citations:
                return [.. citations];
            case JsonElement { ValueKind: JsonValueKind.Array } element:
                try
                {
                    return element.Deserialize<Citation[]>(SerializerOptions) ?? [];
                }
                catch (JsonException)
                {
                    return [];
                }

            default:
                return [];
        }
    }
}
