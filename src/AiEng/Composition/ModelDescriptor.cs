using AiEng.Providers;

namespace AiEng.Composition;

/// <summary>One model AiEng serves: its kind, its name (<see langword="null"/> for the default model) and where it is configured.</summary>
/// <param name="Kind">Chat or embeddings.</param>
/// <param name="Name">The key of a named model, or <see langword="null"/> for the default (unkeyed) one.</param>
/// <param name="ConfigurationPath">The configuration section of the model, for example <c>AiEng:Chat</c> or <c>AiEng:ChatModels:fast</c>.</param>
/// <param name="Options">
/// The effective options (a copy, with values inherited from the default model), or <see langword="null"/> when the application
/// supplies the client itself through <c>AiEngBuilder.UseChatClient</c> or <c>UseEmbeddingGenerator</c>.
/// </param>
internal sealed record ModelDescriptor(ModelKind Kind, string? Name, string ConfigurationPath, ModelOptions? Options);
