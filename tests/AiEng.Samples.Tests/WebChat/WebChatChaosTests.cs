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
/// embedding model, inside AiEng's resilience (one retry), and the outcome strategy at 20% putting another answer in the
/// chat model's place: an empty one, one its content filter stopped, a plausible but wrong one, and one cut at the
/// output-token limit. Every question must end with an answer or a readable error, a cut answer must say so, and each
/// answer is paid once.
/// </summary>
public sealed class WebChatChaosTests(WebChatFixture fixture, ITestOutputHelper output) : IClassFixture<WebChatFixture>
{
    private const int Questions = 32;
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
    public async Task With_faults_latency_and_wrong_answers_in_chat_and_embeddings_every_question_ends_with_an_answer_or_a_readable_error()
    {
        var chaos = new Chaos(Rate, Seed);
        int empty = 0, filtered = 0, wrong = 0, truncated = 0;
        Func<ChatResponse?> Counted(Func<ChatResponse> outcome, Action count) => () =>
        {
            count();
            return outcome();
        };
        Polly.ResiliencePipeline<ChatResponse?> answers = chaos.Pipeline(
            Counted(ChaosOutcomes.EmptyAnswer, () => empty++),
            Counted(ChaosOutcomes.FilteredAnswer, () => filtered++),
            Counted(ChaosOutcomes.WrongAnswer, () => wrong++),
            Counted(ChaosOutcomes.TruncatedAnswer, () => truncated++));
        await using WebChatServer server = await WebChatServer.StartAsync(
            fixture.Paths,
            new Dictionary<string, string?>(WebChatServer.QuickRetry),
            builder => builder.Services.AddAiEng(builder.Configuration)
                .UseChatClient(_ => new ChaosStreamingChatClient(new ExtractiveResponder(TiktokenTokenCounter.O200kBase), answers))
                .UseEmbeddingGenerator(_ => new ChaosEmbeddingGenerator(new OnnxEmbeddingGenerator(), chaos.Pipeline<GeneratedEmbeddings<Embedding<float>>>())));

        int answered = 0, failed = 0, emptyShown = 0, filteredShown = 0, wrongShown = 0, cutShown = 0;
        for (int i = 0; i < Questions; i++)
        {
            // A new text each time, so that the question's embedding is computed (not read from the disk cache).
            Answer answer = await server.AskAsync($"{Asked[i % Asked.Length]} (#{i})");
            JsonElement usage = Assert.Single(answer.OfType("usage")).Data;

            if (answer.OfType("error").Any())
            {
                failed++;
                string message = answer.ReadableError();
                output.WriteLine($"#{i}: {message}");
                if (message.Contains("HTTP 503", StringComparison.Ordinal))
                {
                    Assert.StartsWith("The question could not be answered: ", message, StringComparison.Ordinal);
                }
                else if (message == "The model returned an answer with no text (finish reason: stop). Try again.")
                {
                    emptyShown++;
                }
                else
                {
                    Assert.Equal("The model's content filter stopped the answer before it began (finish reason: content_filter). Rephrase the question.", message);
                    filteredShown++;
                }

                continue;
            }

            // An answer was shown: it was paid once (the question's embedding and one chat answer, retried calls unpaid).
            answered++;
            Assert.Equal(["usage", "done"], answer.Events.TakeLast(2).Select(e => e.Type));
            Assert.Equal(2, usage.GetProperty("calls").GetInt32());
            if (answer.OfType("notice").SingleOrDefault() is { } notice)
            {
                cutShown++;
                Assert.Equal("length", notice.Data.GetProperty("reason").GetString());
                Assert.StartsWith("The answer was cut short at the model's output-token limit", notice.Data.GetProperty("message").GetString(), StringComparison.Ordinal);
                Assert.Equal(ChaosOutcomes.TruncatedAnswerText, answer.Text);
                Assert.True(answer.IndexOfLast("token") < answer.IndexOfFirst("notice"), answer.Body);
            }
            else if (answer.Text == ChaosOutcomes.WrongAnswerText)
            {
                // Nothing can tell a plausible wrong answer from a right one here: it is shown as it came.
                wrongShown++;
            }
            else
            {
                Assert.True(answer.OfType("token").Count() > 1, answer.Body);
                Assert.NotEmpty(answer.OfType("citation"));
            }
        }

        output.WriteLine(
            $"{Questions} questions, chaos {Rate:P0} (seed {Seed}): {chaos.Faults} faults and {chaos.Outcomes} answers injected " +
            $"({empty} empty, {filtered} filtered, {wrong} wrong, {truncated} cut short); {answered} answered, {failed} readable errors.");
        Assert.Equal(Questions, answered + failed);
        Assert.True(chaos.Faults > 0, "no fault was injected");
        Assert.True(chaos.Outcomes > 0, "no answer was put in the model's place");
        Assert.True(answered > 0, "no question was answered");

        // Each answer put in the model's place was shown as what it is: a failure when it had no text, a notice when it was cut.
        Assert.Equal((empty, filtered, wrong, truncated), (emptyShown, filteredShown, wrongShown, cutShown));
    }
}
