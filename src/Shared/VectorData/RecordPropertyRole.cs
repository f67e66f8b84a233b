namespace AiEng.Retrieval;

/// <summary>The role a property plays in a vector store record.</summary>
internal enum RecordPropertyRole
{
    /// <summary>The record key.</summary>
    Key,

    /// <summary>A data property.</summary>
    Data,

    /// <summary>The vector property.</summary>
    Vector,
}
