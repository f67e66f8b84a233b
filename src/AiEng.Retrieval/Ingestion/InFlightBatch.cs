using Microsoft.Extensions.AI;

namespace AiEng.Retrieval;

/// <summary>A batch of chunks sent to the embedder and not yet applied: its chunks, in order, and the call.</summary>
internal sealed record InFlightBatch((PendingDocument Pending, DocumentChunk Chunk)[] Items, Task<GeneratedEmbeddings<Embedding<float>>> Embeddings);
