using AiEng.Shared;
using Microsoft.Extensions.Configuration;

namespace AiEng.Retrieval;

/// <summary>
/// Reads <see cref="RetrievalServiceOptions"/> from the <c>AiEng:Retrieval</c> section. Unlike the configuration binder,
/// which throws on the first value it cannot convert, it keeps each unreadable value as an error that start-up validation
/// reports with the key and an example.
/// </summary>
internal static class RetrievalServiceOptionsBinder
{
    /// <summary>Sets the options present in <paramref name="section"/>; keeps the others.</summary>
    public static void Bind(IConfigurationSection section, RetrievalServiceOptions options)
    {
        if (section[nameof(RetrievalServiceOptions.Collection)] is { } collection)
        {
            options.Collection = collection;
        }

        if (section[nameof(RetrievalServiceOptions.Retriever)] is { } retriever)
        {
            if (Enum.TryParse(retriever, ignoreCase: true, out RetrieverKind kind) && Enum.IsDefined(kind) && !int.TryParse(retriever, out _))
            {
                options.Retriever = kind;
            }
            else
            {
                options.ConfigurationErrors.Add(
                    $"{section.Path}:{nameof(RetrievalServiceOptions.Retriever)} is '{retriever}', which is not a retriever: use {string.Join(", ", Enum.GetNames<RetrieverKind>())}, for example {RetrieverKind.Hybrid}.");
            }
        }

        if (ReadInt(section, nameof(RetrievalServiceOptions.ChunkSize), options) is int chunkSize)
        {
            options.ChunkSize = chunkSize;
        }

        if (ReadInt(section, nameof(RetrievalServiceOptions.ChunkOverlap), options) is int chunkOverlap)
        {
            options.ChunkOverlap = chunkOverlap;
        }

        if (ReadInt(section, nameof(RetrievalServiceOptions.Dimensions), options) is int dimensions)
        {
            options.Dimensions = dimensions;
        }

        // A list, as the standard binder reads it: FilterableFields:0, FilterableFields:1, ...
        string[] filterable = [.. section.GetSection(nameof(RetrievalServiceOptions.FilterableFields)).GetChildren().Select(child => child.Value).OfType<string>()];
        if (filterable.Length > 0)
        {
            options.FilterableFields = [.. filterable];
        }
    }

    private static int? ReadInt(IConfigurationSection section, string key, RetrievalServiceOptions options) =>
        ConfigurationValues.ReadInt(section, key, options.ConfigurationErrors, RetrievalServiceOptionsValidator.Example(key));
}
