namespace AiEng.Providers;

/// <summary>The kind of model a configuration entry describes.</summary>
public enum ModelKind
{
    /// <summary>A chat model, served as an <c>IChatClient</c>.</summary>
    Chat,

    /// <summary>An embedding model, served as an <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c>.</summary>
    Embeddings,
}
