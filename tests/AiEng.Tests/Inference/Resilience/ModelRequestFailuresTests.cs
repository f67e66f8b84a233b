using AiEng.Inference;
using AiEng.Providers;
using static AiEng.Tests.Inference.Resilience.ResilienceTestKit;

namespace AiEng.Tests.Inference.Resilience;

public class ModelRequestFailuresTests
{
    [Theory]
    [InlineData("""{"error":{"message":"Invalid 'temperature': must be at most 2.","type":"invalid_request_error"}}""", "Invalid 'temperature': must be at most 2.")]
    [InlineData("""{"error":"model 'llama9' not found"}""", "model 'llama9' not found")]
    [InlineData("""{"detail":"nope"}""", null)]
    [InlineData("not json", null)]
    [InlineData("", null)]
    public void Reads_the_provider_error_message_from_OpenAI_and_Ollama_bodies(string body, string? expected)
    {
        Assert.Equal(expected, ModelRequestFailures.GetProviderMessage(Status(400, body)));
    }

    [Fact]
    public void Shortens_a_long_provider_message_to_one_line()
    {
        var body = "{\"error\":{\"message\":\"line one\\nline two " + new string('x', 1000) + "\"}}";

        var message = ModelRequestFailures.GetProviderMessage(Status(400, body));

        Assert.NotNull(message);
        Assert.StartsWith("line one line two", message, StringComparison.Ordinal);
        Assert.True(message.Length <= 301);
    }

    [Fact]
    public void Names_the_default_model_and_provider_and_the_fix_for_a_404()
    {
        var failures = new ModelRequestFailures(ModelKind.Chat, "ollama", "llama3.2", configurationPath: null);

        var error = failures.Rejected(Status(404), 404, modelId: null, attempts: 1);

        Assert.Equal("ollama", error.ProviderName);
        Assert.Equal("llama3.2", error.ModelId);
        Assert.Contains("provider 'ollama' (model 'llama3.2')", error.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng__Chat__Model", error.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng__Chat__Endpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describes_a_failure_by_status_or_type_without_its_message()
    {
        Assert.Equal("HTTP 429", ModelRequestFailures.Describe(Status(429)));
        Assert.Equal("InvalidOperationException", ModelRequestFailures.Describe(new InvalidOperationException("sk-secret in message")));
    }
}
