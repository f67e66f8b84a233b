using AiEng.Offline;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Offline;

public class ExtractiveResponderTests
{
    private const string Facts =
        "Retrieval-augmented generation gives the model documents retrieved from a store. " +
        "Fine-tuning updates the weights of a model with a curated data set. " +
        "Prompt engineering writes instructions and examples into the prompt. " +
        "The Eiffel Tower was completed in 1889. " +
        "Bananas are rich in potassium.";

    private readonly ExtractiveResponder _responder = new(new WordTokenCounter());

    [Fact]
    public async Task Quotes_the_sentences_most_relevant_to_the_question_and_cites_their_message()
    {
        var response = await _responder.GetResponseAsync(
        [
            new ChatMessage(ChatRole.System, Facts),
            new ChatMessage(ChatRole.User, "How does fine-tuning change the weights?"),
        ]);

        var quoted = QuotedLines(response.Text);
        Assert.Equal("- \"Fine-tuning updates the weights of a model with a curated data set.\" [1]", quoted[0]);
        Assert.DoesNotContain(quoted, line => line.Contains("Bananas", StringComparison.Ordinal) || line.Contains("Eiffel", StringComparison.Ordinal));
        Assert.Contains("Sources: [1] message 1 (system)", response.Text, StringComparison.Ordinal);
        Assert.Equal(ExtractiveResponder.ModelId, response.ModelId);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task Quotes_sentences_rather_than_headings_that_share_the_question_words()
    {
        var response = await _responder.GetResponseAsync(
        [
            new ChatMessage(ChatRole.System, "Ingestion > Skip unchanged documents\n\n### Skip unchanged documents\n\nThe ingestor compares the content hash of each document with the stored one and skips it when they match."),
            new ChatMessage(ChatRole.User, "How does ingestion skip unchanged documents?"),
        ]);

        var quoted = QuotedLines(response.Text);
        Assert.Equal("- \"The ingestor compares the content hash of each document with the stored one and skips it when they match.\" [1]", quoted[0]);
        Assert.DoesNotContain(quoted, line => line.Contains("Ingestion > Skip", StringComparison.Ordinal) || line.Contains("###", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cites_numbered_sources_of_a_context_block_after_the_question()
    {
        var response = await _responder.GetResponseAsync(
        [
            new ChatMessage(ChatRole.System, "Answer from the context."),
            new ChatMessage(ChatRole.User,
                "When was the Eiffel Tower completed?\n\nContext:\n" +
                "[1] Bananas are rich in potassium.\n" +
                "[2] The Eiffel Tower was completed in 1889. It is 330 metres tall.\n" +
                "[3] Paris is the capital of France."),
        ]);

        var quoted = QuotedLines(response.Text);
        Assert.Equal("- \"The Eiffel Tower was completed in 1889.\" [2]", quoted[0]);
        Assert.DoesNotContain("Bananas", response.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sources:", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_a_question_that_follows_its_context_under_a_Question_header()
    {
        var response = await _responder.GetResponseAsync(
        [
            new ChatMessage(ChatRole.User, "Sources:\n[1] Fine-tuning updates the weights.\n[2] Bananas are rich in potassium.\n\nQuestion: Which fruit has potassium?"),
        ]);

        Assert.Equal("- \"Bananas are rich in potassium.\" [2]", QuotedLines(response.Text)[0]);
    }

    [Fact]
    public async Task Does_not_quote_prompt_instructions_that_only_share_words_like_context_and_question()
    {
        var response = await _responder.GetResponseAsync(
        [
            new ChatMessage(ChatRole.System, "Answer the question using only the context. Bananas are rich in potassium."),
            new ChatMessage(ChatRole.User, "What does the context say about potassium? Answer the question."),
        ]);

        Assert.Equal(["- \"Bananas are rich in potassium.\" [1]"], QuotedLines(response.Text));
    }

    [Fact]
    public async Task Quotes_tool_results_as_context()
    {
        var response = await _responder.GetResponseAsync(
        [
            new ChatMessage(ChatRole.User, "What is the weather in Oslo?"),
            new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-1", "weather", new Dictionary<string, object?> { ["city"] = "Oslo" })]),
            new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call-1", "The weather in Oslo is sunny and 21 degrees.")]),
        ]);

        Assert.Equal(["- \"The weather in Oslo is sunny and 21 degrees.\" [3]"], QuotedLines(response.Text));
    }

    [Fact]
    public async Task Does_not_quote_earlier_assistant_answers()
    {
        var response = await _responder.GetResponseAsync(
        [
            new ChatMessage(ChatRole.System, "Bananas are rich in potassium."),
            new ChatMessage(ChatRole.User, "Tell me about bananas."),
            new ChatMessage(ChatRole.Assistant, "Bananas are yellow and curved, says the assistant."),
            new ChatMessage(ChatRole.User, "Which fruit is yellow and curved?"),
        ]);

        Assert.DoesNotContain("says the assistant", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Is_deterministic_and_breaks_ties_by_position()
    {
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "Apples grow on trees. Pears grow on trees."),
            new(ChatRole.User, "What grows on trees?"),
        ];

        var first = await _responder.GetResponseAsync(messages);
        var second = await _responder.GetResponseAsync(messages);

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(["- \"Apples grow on trees.\" [1]", "- \"Pears grow on trees.\" [1]"], QuotedLines(first.Text));
    }

    [Fact]
    public async Task Streams_the_same_text_and_usage_as_the_non_streaming_answer_in_several_pieces()
    {
        List<ChatMessage> messages = [new(ChatRole.System, Facts), new(ChatRole.User, "What does retrieval-augmented generation give the model?")];

        var response = await _responder.GetResponseAsync(messages);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in _responder.GetStreamingResponseAsync(messages))
        {
            updates.Add(update);
        }

        var streamed = updates.ToChatResponse();
        Assert.True(updates.Count(update => update.Text.Length > 0) > 10);
        Assert.Equal(response.Text, streamed.Text);
        Assert.Equal(response.Usage!.InputTokenCount, streamed.Usage!.InputTokenCount);
        Assert.Equal(response.Usage.OutputTokenCount, streamed.Usage.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Stop, streamed.FinishReason);
    }

    [Fact]
    public async Task Streaming_stops_when_cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        var received = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in _responder.GetStreamingResponseAsync([new ChatMessage(ChatRole.System, Facts), new ChatMessage(ChatRole.User, "What is fine-tuning?")], cancellationToken: cancellation.Token))
            {
                received++;
                await cancellation.CancelAsync();
            }
        });

        Assert.Equal(1, received);
    }

    [Fact]
    public async Task Reports_usage_counted_by_the_token_counter()
    {
        var counter = new WordTokenCounter();
        List<ChatMessage> messages = [new(ChatRole.System, Facts), new(ChatRole.User, "What is prompt engineering?")];

        var response = await new ExtractiveResponder(counter).GetResponseAsync(messages);

        Assert.Equal(counter.CountTokens(Facts + "\nWhat is prompt engineering?"), response.Usage!.InputTokenCount);
        Assert.Equal(counter.CountTokens(response.Text), response.Usage.OutputTokenCount);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task Every_answer_says_no_language_model_is_configured_and_how_to_configure_one()
    {
        foreach (var messages in new List<ChatMessage>[] { [new(ChatRole.System, Facts), new(ChatRole.User, "What is fine-tuning?")], [new(ChatRole.User, "Hi")], [] })
        {
            var text = (await _responder.GetResponseAsync(messages)).Text;

            Assert.Contains("no language model is configured", text, StringComparison.Ordinal);
            Assert.Contains("AiEng__Chat__Provider=OpenAI", text, StringComparison.Ordinal);
            Assert.Contains("AiEng__Chat__Model=gpt-4o-mini", text, StringComparison.Ordinal);
            Assert.Contains("AiEng__Chat__ApiKey=", text, StringComparison.Ordinal);
            Assert.Contains("AiEng__Chat__Endpoint=http://localhost:11434", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Says_plainly_when_nothing_in_the_context_matches_the_question()
    {
        var response = await _responder.GetResponseAsync([new(ChatRole.System, Facts), new(ChatRole.User, "Who won the chess championship?")]);

        Assert.StartsWith("Nothing in the context matches the question", response.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Says_so_when_no_context_is_given()
    {
        var response = await _responder.GetResponseAsync([new(ChatRole.User, "What is the capital of France?")]);

        Assert.StartsWith("No context was given", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Says_so_when_there_is_no_user_question()
    {
        var response = await _responder.GetResponseAsync([new(ChatRole.System, Facts)]);

        Assert.StartsWith("There is no user question", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_names_it_as_the_offline_extractive_responder_and_not_a_language_model()
    {
        var metadata = _responder.GetService<ChatClientMetadata>()!;

        Assert.Equal("aieng-offline", metadata.ProviderName);
        Assert.Equal("extractive-responder", metadata.DefaultModelId);
        Assert.Same(_responder, _responder.GetService<ExtractiveResponder>());
        Assert.Null(_responder.GetService<ChatClientMetadata>("key"));
    }

    [Fact]
    public async Task Arguments_are_checked()
    {
        Assert.Throws<ArgumentNullException>(() => new ExtractiveResponder(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _responder.GetResponseAsync((IEnumerable<ChatMessage>)null!));
        Assert.Throws<ArgumentNullException>(() => _responder.GetStreamingResponseAsync((IEnumerable<ChatMessage>)null!));
    }

    private static List<string> QuotedLines(string text) =>
        text.Split('\n').Where(line => line.StartsWith("- \"", StringComparison.Ordinal)).ToList();
}
