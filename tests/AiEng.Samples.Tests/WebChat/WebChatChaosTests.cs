using System.Text.Json;
using AiEng.Offline;
using AiEng.Onnx;
using AiEng.Tests.Reliability;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AiEng.Samples.Tests.WebChat;

/// <summary>
/// Chaos in the web sample's models: Polly's fault and latency strategies at 20% in front of the chat model and the
/// embedding model, inside AiEng's resilience (one retry). Every question must end with an answer or a readable error.
/// </summary>
public sealed class WebChatChaosTests(WebChatFixture fixture, ITestOutputHelper output) : IClassFixture<WebChatFixture>
{
    private const int Questions = 24;
    private const double Rate = 0.2;
    private const int Seed = 17;

    private static readonly string[] Asked =
    [
        "How long is the warranty of a router?",
        "How long are cables guaranteed?",
        "Where should the router be placed?",
        "Within how many days can unused products be returned?",
    ];

    [Fact]
    public async Task With_faults_and_latency_in_chat_and_embeddings_every_question_ends_with_an_answer_or_a_readable_error()
    {
        var chaos = new Chaos(Rate, Seed);
        await using WebChatServer server = await WebChatServer.StartAsync(
            fixture.Paths,
            new Dictionary<string, string?>(WebChatServer.QuickRetry),
            builder => builder.Services.AddAiEng(builder.Configuration)
                .UseChatClient(_ => new ChaosStreamingChatClient(new ExtractiveResponder(TiktokenTokenCounter.O200kBase), chaos.Pipeline<bool>()))
                .UseEmbeddingGenerator(_ => new ChaosEmbeddingGenerator(new OnnxEmbeddingGenerator(), chaos.Pipeline<GeneratedEmbeddings<Embedding<float>>>())));

        int answered = 0, failed = 0;
        for (int i = 0; i < Questions; i++)
        {
            // A new text each time, so that the question's embedding is computed (not read from the disk cache).
            Answer answer = await server.AskAsync($"{Asked[i % Asked.Length]} (#{i})");

            if (answer.OfType("error").Any())
            {
                failed++;
                string message = answer.ReadableError();
                Assert.StartsWith("The question could not be answered: ", message, StringComparison.Ordinal);
                Assert.Contains("HTTP 503", message, StringComparison.Ordinal);
                output.WriteLine($"#{i}: {message}");
            }
            else
            {
                answered++;
                Assert.True(answer.OfType("token").Count() > 1, answer.Body);
                Assert.NotEmpty(answer.OfType("citation"));
                Assert.Equal(["usage", "done"], answer.Events.TakeLast(2).Select(e => e.Type));
            }
        }

        output.WriteLine($"{Questions} questions, chaos {Rate:P0} fault and latency on chat and embeddings (seed {Seed}): {chaos.Faults} faults injected, {answered} answered, {failed} readable errors.");
        Assert.Equal(Questions, answered + failed);
        Assert.True(chaos.Faults > 0, "no fault was injected");
        Assert.True(answered > 0, "no question was answered");
    }
}
