using System.ClientModel;
using System.ClientModel.Primitives;

namespace AiEng.Tests.Inference.Resilience;

/// <summary>A provider's HTTP response as System.ClientModel (the OpenAI and Azure clients) reports it, built in memory.</summary>
internal sealed class FakePipelineResponse : PipelineResponse
{
    private readonly FakeHeaders _headers;
    private readonly BinaryData _content;

    public FakePipelineResponse(int status, string? body = null, params (string Name, string Value)[] headers)
    {
        Status = status;
        _content = BinaryData.FromString(body ?? string.Empty);
        _headers = new FakeHeaders(headers);
        ContentStream = _content.ToStream();
    }

    public override int Status { get; }

    public override string ReasonPhrase => "Fake";

    public override Stream? ContentStream { get; set; }

    public override BinaryData Content => _content;

    protected override PipelineResponseHeaders HeadersCore => _headers;

    /// <summary>Creates the exception the OpenAI client throws for an error response.</summary>
    public static ClientResultException Error(int status, string? body = null, params (string Name, string Value)[] headers) =>
        new(new FakePipelineResponse(status, body, headers));

    public override BinaryData BufferContent(CancellationToken cancellationToken = default) => _content;

    public override ValueTask<BinaryData> BufferContentAsync(CancellationToken cancellationToken = default) => new(_content);

    public override void Dispose()
    {
    }

    private sealed class FakeHeaders((string Name, string Value)[] headers) : PipelineResponseHeaders
    {
        public override IEnumerator<KeyValuePair<string, string>> GetEnumerator() =>
            headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).GetEnumerator();

        public override bool TryGetValue(string name, out string? value)
        {
            var values = headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToArray();
            value = values.Length == 0 ? null : string.Join(",", values);
            return values.Length > 0;
        }

        public override bool TryGetValues(string name, out IEnumerable<string>? values)
        {
            var found = headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToArray();
            values = found.Length == 0 ? null : found;
            return found.Length > 0;
        }
    }
}
