using System.Text;

namespace AiEng.Testing;

/// <summary>A file uploaded to <see cref="OpenAITestServer"/> (<c>POST /v1/files</c>), kept in <see cref="OpenAITestServer.Files"/> for assertions.</summary>
public sealed class OpenAITestFile
{
    private readonly byte[] _content;

    /// <summary>Initializes a new instance of the <see cref="OpenAITestFile"/> class.</summary>
    /// <param name="id">The file id, for example <c>file-test-1</c>.</param>
    /// <param name="fileName">The file name sent with the upload.</param>
    /// <param name="purpose">The purpose, for example <c>fine-tune</c>.</param>
    /// <param name="content">The uploaded bytes; the instance keeps a copy.</param>
    /// <param name="createdAt">When it was uploaded.</param>
    public OpenAITestFile(string id, string fileName, string purpose, ReadOnlySpan<byte> content, DateTimeOffset createdAt)
    {
        Id = id;
        FileName = fileName;
        Purpose = purpose;
        _content = content.ToArray();
        CreatedAt = createdAt;
    }

    /// <summary>Gets the file id, for example <c>file-test-1</c>.</summary>
    public string Id { get; }

    /// <summary>Gets the file name sent with the upload.</summary>
    public string FileName { get; }

    /// <summary>Gets the purpose, for example <c>fine-tune</c>.</summary>
    public string Purpose { get; }

    /// <summary>Gets the uploaded bytes.</summary>
    public ReadOnlyMemory<byte> Content => _content;

    /// <summary>Gets the uploaded content decoded as UTF-8.</summary>
    public string Text => Encoding.UTF8.GetString(_content);

    /// <summary>Gets when it was uploaded.</summary>
    public DateTimeOffset CreatedAt { get; }
}
