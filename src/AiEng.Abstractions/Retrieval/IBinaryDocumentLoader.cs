namespace AiEng.Retrieval;

/// <summary>
/// An <see cref="IDocumentLoader"/> of a binary format (PDF, DOCX, ...). A directory loader hands such a loader its files as
/// they are, without first checking that they hold text (a text file with NUL bytes is skipped as binary; a PDF is not).
/// </summary>
#pragma warning disable CA1040 // A marker: the format is binary; the loading contract is IDocumentLoader's.
public interface IBinaryDocumentLoader : IDocumentLoader;
#pragma warning restore CA1040
