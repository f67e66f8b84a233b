namespace AiEng.Providers;

/// <summary>
/// AiEng's configuration: the default chat model, the default embedding model and any number of named models side by side.
/// Bound from the <c>AiEng</c> configuration section by <c>services.AddAiEng(configuration)</c>.
/// </summary>
/// <remarks>
/// <para>Configuration keys (environment variables replace <c>:</c> by <c>__</c>, for example <c>AiEng__Chat__Endpoint</c>):</para>
/// <list type="bullet">
/// <item><description><c>AiEng:Chat:Provider|Model|Endpoint|ApiKey|Settings:*</c>: the default <c>IChatClient</c>.</description></item>
/// <item><description><c>AiEng:ChatModels:&lt;name&gt;:...</c>: a keyed <c>IChatClient</c> named <c>&lt;name&gt;</c>.</description></item>
/// <item><description><c>AiEng:Embeddings:...</c>: the default <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c>.</description></item>
/// <item><description><c>AiEng:EmbeddingModels:&lt;name&gt;:...</c>: a keyed embedding generator named <c>&lt;name&gt;</c>.</description></item>
/// </list>
/// <para>
/// A named model whose <see cref="ModelOptions.Provider"/> is not set, or names the same provider as the default model of its
/// kind, takes every value it leaves unset (model, endpoint, API key, settings) from that default model. So
/// <c>AiEng:Chat:Provider=OpenAI</c>, <c>AiEng:Chat:ApiKey=...</c> and <c>AiEng:ChatModels:smart:Model=gpt-4o</c> give a
/// <c>smart</c> model that uses the same key. A named model of another provider takes nothing from the default.
/// </para>
/// <para><see cref="ToString"/> never shows an API key.</para>
/// </remarks>
public sealed class AiEngOptions
{
    /// <summary>The name of the configuration section AiEng binds: <c>AiEng</c>.</summary>
    public const string SectionName = "AiEng";

    /// <summary>The provider of the default chat model: <c>Offline</c>, the extractive responder (not a language model).</summary>
    public const string DefaultChatProvider = "Offline";

    /// <summary>The provider of the default embedding model: <c>Onnx</c> (package <c>AiEng.Onnx</c>).</summary>
    public const string DefaultEmbeddingsProvider = "Onnx";

    /// <summary>Gets or sets the default chat model. Defaults to provider <see cref="DefaultChatProvider"/> (<c>Offline</c>).</summary>
    public ModelOptions Chat { get; set; } = new() { Provider = DefaultChatProvider };

    /// <summary>Gets or sets the default embedding model. Defaults to provider <see cref="DefaultEmbeddingsProvider"/> (<c>Onnx</c>).</summary>
    /// <remarks>
    /// While it is left at its default and no <c>Onnx</c> provider is registered, start-up validation does not report it, so that
    /// an application that only chats needs no <c>AiEng.Onnx</c>; resolving the default embedding generator then fails with a
    /// message that says which package to add.
    /// </remarks>
    public ModelOptions Embeddings { get; set; } = new() { Provider = DefaultEmbeddingsProvider };

    /// <summary>Gets or sets the named chat models, each registered as an <c>IChatClient</c> keyed by its name (for example <c>fast</c> and <c>smart</c>). Empty by default.</summary>
    public IDictionary<string, ModelOptions> ChatModels { get; set; } = new Dictionary<string, ModelOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the named embedding models, each registered as an embedding generator keyed by its name. Empty by default.</summary>
    public IDictionary<string, ModelOptions> EmbeddingModels { get; set; } = new Dictionary<string, ModelOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Describes the options with every API key redacted.</summary>
    /// <returns>A description such as <c>Chat=(Provider=Offline, ...), ChatModels=[fast=(...)]</c>.</returns>
    public override string ToString() =>
        $"Chat=({Chat}), Embeddings=({Embeddings}), ChatModels=[{Describe(ChatModels)}], EmbeddingModels=[{Describe(EmbeddingModels)}]";

    private static string Describe(IDictionary<string, ModelOptions> models) =>
        string.Join("; ", models.OrderBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase).Select(pair => $"{pair.Key}=({pair.Value})"));
}
