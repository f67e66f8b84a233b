namespace AiEng.Retrieval;

/// <summary>The CLR shape of a record's vector property.</summary>
internal enum RecordVectorKind
{
    /// <summary><see cref="ReadOnlyMemory{T}"/> of <see cref="float"/> (or its nullable form).</summary>
    ReadOnlyMemory,

    /// <summary>An array of <see cref="float"/>.</summary>
    Array,

    /// <summary><see cref="Microsoft.Extensions.AI.Embedding{T}"/> of <see cref="float"/>.</summary>
    Embedding,
}
