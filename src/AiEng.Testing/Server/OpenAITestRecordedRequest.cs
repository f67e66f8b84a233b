using AiEng.Shared;

namespace AiEng.Testing;

/// <summary>A request received by <see cref="OpenAITestServer"/>, kept in <see cref="OpenAITestServer.Requests"/> for assertions.</summary>
public sealed class OpenAITestRecordedRequest
{
    /// <summary>Initializes a new instance of the <see cref="OpenAITestRecordedRequest"/> class.</summary>
    /// <param name="method">The HTTP method, for example <c>POST</c>.</param>
    /// <param name="path">The request path as sent, for example <c>/v1/chat/completions</c>.</param>
    /// <param name="body">The request body as text; empty when there is none.</param>
    /// <param name="headers">The request headers (case-insensitive names), with the value of <c>Authorization</c> redacted.</param>
    /// <param name="timestamp">When the request was received.</param>
    /// <exception cref="ArgumentNullException">
    /// <paramref name="method"/>, <paramref name="path"/>, <paramref name="body"/> or <paramref name="headers"/> is <see langword="null"/>.
    /// </exception>
    public OpenAITestRecordedRequest(string method, string path, string body, IReadOnlyDictionary<string, string> headers, DateTimeOffset timestamp)
    {
        Method = Throw.IfNull(method);
        Path = Throw.IfNull(path);
        Body = Throw.IfNull(body);
        Headers = Throw.IfNull(headers);
        Timestamp = timestamp;
    }

    /// <summary>Gets the HTTP method, for example <c>POST</c>.</summary>
    public string Method { get; }

    /// <summary>Gets the request path as sent, for example <c>/v1/chat/completions</c>.</summary>
    public string Path { get; }

    /// <summary>Gets the request body as text; empty when there is none.</summary>
    public string Body { get; }

    /// <summary>
    /// Gets the request headers (case-insensitive names). The value of <c>Authorization</c> is redacted to its scheme followed by
    /// <c>***</c>, for example <c>Bearer ***</c>, so that no credential is kept.
    /// </summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Gets when the request was received, from <see cref="OpenAITestServerOptions.TimeProvider"/>.</summary>
    public DateTimeOffset Timestamp { get; }
}
