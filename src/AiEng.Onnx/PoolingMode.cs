namespace AiEng.Onnx;

/// <summary>
/// How <see cref="OnnxEmbeddingGenerator"/> turns a model's token embeddings into one sentence vector, as the model's
/// sentence-transformers <c>1_Pooling/config.json</c> says.
/// </summary>
public enum PoolingMode
{
    /// <summary>The mean of the token embeddings over the attention mask, <c>[CLS]</c> and <c>[SEP]</c> included (<c>pooling_mode_mean_tokens</c>): all-MiniLM-L6-v2, e5, most sentence-transformers models.</summary>
    Mean = 0,

    /// <summary>The embedding of the first token, <c>[CLS]</c> (<c>pooling_mode_cls_token</c>): the BGE family, for example bge-small-en-v1.5.</summary>
    Cls = 1,
}
