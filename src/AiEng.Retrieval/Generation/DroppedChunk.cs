namespace AiEng.Retrieval;

/// <summary>A retrieved chunk <see cref="ContextPacker"/> left out of the context, and why.</summary>
/// <param name="Chunk">The chunk.</param>
/// <param name="Reason">Why it was left out.</param>
public sealed record DroppedChunk(RetrievedChunk Chunk, ContextDropReason Reason);
