using System.Text.Json;
using AiEng.Inference;
using AiEng.Shared;
using Microsoft.Extensions.AI;

namespace AiEng.Prompts;

/// <summary>Adds the structured-output acceptance check to a cascade's options (<c>ChatClientBuilder.UseCascade</c>).</summary>
public static class CascadeOptionsStructuredOutputExtensions
{
    /// <summary>
    /// Adds a check that escalates an answer that is not valid JSON for <typeparamref name="T"/>: JSON (or a fenced JSON code
    /// block) that validates against <typeparamref name="T"/>'s JSON schema and deserialises to it, as
    /// <see cref="StructuredOutputChatClientExtensions.GetValidatedResponseAsync{T}"/> validates. Ask for the format in the
    /// request (for example <c>ChatOptions.ResponseFormat = ChatResponseFormat.ForJsonSchema&lt;T&gt;()</c>); the check does not repair.
    /// </summary>
    /// <typeparam name="T">The result type: an object type (class, record or struct with properties).</typeparam>
    /// <param name="options">The cascade's options.</param>
    /// <param name="serializerOptions">The serializer options of the schema and the result; <see langword="null"/> for <see cref="AIJsonUtilities.DefaultOptions"/>.</param>
    /// <returns>The <paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> does not have an object schema.</exception>
    public static CascadeOptions RequireValidJson<T>(this CascadeOptions options, JsonSerializerOptions? serializerOptions = null)
    {
        Throw.IfNull(options);
        options.AcceptanceChecks.Add(new StructuredOutputAcceptanceCheck<T>(serializerOptions ?? AIJsonUtilities.DefaultOptions));
        return options;
    }
}
