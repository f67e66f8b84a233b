namespace AiEng.Testing;

/// <summary>A request received by <see cref="OpenAITestServer"/>, kept in <see cref="OpenAITestServer.Requests"/> for assertions.</summary>
/// <param name="Method">The HTTP method, for example <c>POST</c>.</param>
/// <param name="Path">The request path as sent, for example <c>/v1/chat/completions</c>.</param>
/// <param name="Body">The request body as text; empty when there is none.</param>
/// <param name="Headers">
/// The request headers (case-insensitive names). The value of <c>Authorization</c> is redacted to its scheme followed by
/// <c>***</c>, for example <c>Bearer ***</c>, so that no credential is kept.
/// </param>
/// <param name="Timestamp">When the request was received, from <see cref="OpenAITestServerOptions.TimeProvider"/>.</param>
public sealed record OpenAITestRecordedRequest(string Method, string Path, string Body, IReadOnlyDictionary<string, string> Headers, DateTimeOffset Timestamp);
