using AiEng.FineTuning;
using AiEng.Testing;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.FineTuning.Validation;

public sealed class FineTuningValidatorTests
{
    private static readonly FineTuningValidator Lenient = new(new FineTuningValidationOptions { MinExamples = 0 });

    private static async Task<IReadOnlyList<FineTuningIssue>> IssuesOf(params ChatMessage[] messages) =>
        (await Lenient.ValidateAsync([new FineTuningExample(messages) { Id = "ex" }])).Issues;

    private static ChatMessage User(string text) => new(ChatRole.User, text);

    private static ChatMessage Assistant(string text) => new(ChatRole.Assistant, text);

    private static ChatMessage Call(params string[] ids) => new(ChatRole.Assistant, ids.Select(id => (AIContent)new FunctionCallContent(id, "lookup", new Dictionary<string, object?> { ["q"] = id })).ToList());

    private static ChatMessage Result(string id, string text = "ok") => new(ChatRole.Tool, [new FunctionResultContent(id, text)]);

    [Fact]
    public async Task A_well_formed_set_has_no_issues_and_counts_tokens_per_example()
    {
        FineTuningValidationReport report = await new FineTuningValidator().ValidateAsync(TrainingData.Many(12));

        Assert.True(report.IsValid, report.ToString());
        Assert.Empty(report.Issues);
        Assert.Equal(12, report.TrainingTokens.Count);
        Assert.All(report.TrainingTokens, t => Assert.InRange(t, 20, 60));
    }

    [Fact]
    public async Task Fewer_examples_than_the_minimum_is_an_error_for_the_set()
    {
        FineTuningValidationReport report = await new FineTuningValidator().ValidateAsync(TrainingData.Many(9));
        FineTuningIssue issue = Assert.Single(report.Issues);
        Assert.Equal((FineTuningRules.MinExamples, -1, FineTuningIssueSeverity.Error), (issue.Rule, issue.ExampleIndex, issue.Severity));
        Assert.False(report.IsValid);
    }

    [Fact]
    public async Task A_system_message_after_the_conversation_started_is_out_of_order()
    {
        FineTuningIssue issue = Assert.Single(await IssuesOf(User("q"), new ChatMessage(ChatRole.System, "s"), Assistant("a")));
        Assert.Equal((FineTuningRules.Order, "messages[1].role", "ex"), (issue.Rule, issue.Field, issue.ExampleId));
    }

    [Fact]
    public async Task The_conversation_must_start_with_a_user_message()
    {
        FineTuningIssue issue = Assert.Single(await IssuesOf(new ChatMessage(ChatRole.System, "s"), Assistant("a")));
        Assert.Equal((FineTuningRules.Order, "messages[1].role"), (issue.Rule, issue.Field));
    }

    [Fact]
    public async Task An_example_without_a_trained_assistant_message_is_an_error()
    {
        ChatMessage context = Assistant("a");
        FineTuningExample.SetWeight(context, 0);
        Assert.Contains(await IssuesOf(User("q"), context), i => i.Rule == FineTuningRules.NoTrainedMessage);
        Assert.Contains(await IssuesOf(User("q")), i => i.Rule == FineTuningRules.NoTrainedMessage);
    }

    [Fact]
    public async Task Empty_content_is_an_error_naming_the_message()
    {
        FineTuningIssue issue = Assert.Single(await IssuesOf(User("  "), Assistant("a")));
        Assert.Equal((FineTuningRules.EmptyContent, "messages[0].content"), (issue.Rule, issue.Field));
        Assert.Contains(await IssuesOf(User("q"), Assistant("")), i => i.Rule == FineTuningRules.EmptyContent && i.Field == "messages[1].content");
    }

    [Fact]
    public async Task Tool_results_must_answer_the_calls_right_before_them()
    {
        Assert.Empty(await IssuesOf(User("q"), Call("c1", "c2"), Result("c2"), Result("c1"), Assistant("done")));

        FineTuningIssue unknown = Assert.Single(await IssuesOf(User("q"), Call("c1"), Result("c1"), Result("c9"), Assistant("done")));
        Assert.Equal((FineTuningRules.ToolCall, "messages[3].tool_call_id"), (unknown.Rule, unknown.Field));

        FineTuningIssue unanswered = Assert.Single(await IssuesOf(User("q"), Call("c1", "c2"), Result("c1"), Assistant("done")));
        Assert.Equal((FineTuningRules.ToolCall, "messages[3]"), (unanswered.Rule, unanswered.Field));
        Assert.Contains("'c2'", unanswered.Message, StringComparison.Ordinal);

        Assert.Contains(await IssuesOf(User("q"), Result("c1"), Assistant("done")), i => i.Rule == FineTuningRules.ToolCall);
    }

    [Fact]
    public async Task Tool_calls_need_an_id_a_name_and_unique_ids()
    {
        var noName = new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", " ")]);
        Assert.Contains(await IssuesOf(User("q"), noName, Result("c1"), Assistant("a")), i => i.Field == "messages[1].tool_calls[0].function.name");
        IReadOnlyList<FineTuningIssue> repeated = await IssuesOf(User("q"), Call("c1"), Result("c1"), Call("c1"), Result("c1"), Assistant("a"));
        Assert.Contains(repeated, i => i.Field == "messages[3].tool_calls[0].id" && i.Message.Contains("twice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_call_to_a_function_missing_from_the_tools_is_a_warning()
    {
        var example = new FineTuningExample([User("q"), Call("c1"), Result("c1"), Assistant("a")])
        {
            Tools = [AIFunctionFactory.CreateDeclaration("other", null, System.Text.Json.JsonDocument.Parse("{\"type\":\"object\"}").RootElement)],
        };
        FineTuningIssue issue = Assert.Single((await Lenient.ValidateAsync([example])).Issues);
        Assert.Equal((FineTuningIssueSeverity.Warning, FineTuningRules.ToolCall), (issue.Severity, issue.Rule));
    }

    [Fact]
    public async Task A_weight_on_a_user_message_is_an_error()
    {
        ChatMessage user = User("q");
        (user.AdditionalProperties ??= [])[FineTuningExample.WeightProperty] = 1;
        FineTuningIssue issue = Assert.Single(await IssuesOf(user, Assistant("a")));
        Assert.Equal((FineTuningRules.Weight, "messages[0].weight"), (issue.Rule, issue.Field));
    }

    [Fact]
    public async Task Trailing_messages_after_the_last_answer_are_a_warning()
    {
        FineTuningIssue issue = Assert.Single(await IssuesOf(User("q"), Assistant("a"), User("thanks")));
        Assert.Equal((FineTuningIssueSeverity.Warning, FineTuningRules.Order, "messages[2]"), (issue.Severity, issue.Rule, issue.Field));
    }

    [Fact]
    public async Task An_example_over_the_token_limit_is_an_error()
    {
        var validator = new FineTuningValidator(new FineTuningValidationOptions { MinExamples = 0, MaxTokensPerExample = 30, TokenCounter = new WordTokenCounter() });
        FineTuningValidationReport report = await validator.ValidateAsync([TrainingData.Chat("short", "ok"), TrainingData.Chat(string.Join(' ', Enumerable.Repeat("word", 40)), "ok")]);
        FineTuningIssue issue = Assert.Single(report.Issues);
        Assert.Equal((FineTuningRules.Tokens, 1), (issue.Rule, issue.ExampleIndex));
        Assert.True(report.TrainingTokens[1] > 30);
    }

    [Fact]
    public async Task Exact_and_near_duplicates_are_warnings_pointing_at_the_first_copy()
    {
        List<FineTuningExample> set = TrainingData.Many(10);
        set.Add(TrainingData.Chat("QUESTION number 3  about topic " + (3 * 7919 % 101), "answer 3"));
        set.Add(TrainingData.Chat("Please tell me how I can reset the password of my account today", "Use the reset link."));
        set.Add(TrainingData.Chat("Please tell me how I can reset the password of my account today!", "Use the reset link."));

        FineTuningValidationReport report = await new FineTuningValidator().ValidateAsync(set);
        FineTuningIssue duplicate = Assert.Single(report.Issues, i => i.Rule == FineTuningRules.Duplicate);
        Assert.Equal(10, duplicate.ExampleIndex);
        Assert.Contains("#3", duplicate.Message, StringComparison.Ordinal);
        FineTuningIssue near = Assert.Single(report.Issues, i => i.Rule == FineTuningRules.NearDuplicate);
        Assert.Equal(12, near.ExampleIndex);
        Assert.Contains("#11", near.Message, StringComparison.Ordinal);
        Assert.True(report.IsValid);
    }

    [Fact]
    public async Task Validation_examples_that_repeat_training_examples_are_leakage_errors()
    {
        List<FineTuningExample> training = TrainingData.Many(10);
        FineTuningValidationReport report = await new FineTuningValidator().ValidateAsync(training,
            [TrainingData.Chat("A new question entirely", "New"), TrainingData.Chat("question number 4 about topic " + (4 * 7919 % 101), "Answer 4")]);

        FineTuningIssue leak = Assert.Single(report.Issues);
        Assert.Equal((FineTuningRules.Leakage, "validation", 1), (leak.Rule, leak.Set, leak.ExampleIndex));
        Assert.False(report.IsValid);
    }

    [Fact]
    public async Task An_embedding_generator_finds_paraphrases_that_shingles_miss()
    {
        // Embeds by whether the text mentions a password: the two password questions share no word 3-gram.
        var generator = TestEmbeddingGenerator.FromFunction(text => text.Contains("password", StringComparison.OrdinalIgnoreCase) ? [1f, 0f] : [0f, 1f]);
        List<FineTuningExample> training = [TrainingData.Chat("How do I change my password?", "Settings."), TrainingData.Chat("Weather today?", "Sunny.")];
        var validator = new FineTuningValidator(new FineTuningValidationOptions { MinExamples = 0, EmbeddingGenerator = generator });

        FineTuningValidationReport report = await validator.ValidateAsync(training, [TrainingData.Chat("I forgot the password, what now", "Reset it.")]);
        FineTuningIssue leak = Assert.Single(report.Issues);
        Assert.Equal((FineTuningRules.Leakage, 0), (leak.Rule, leak.ExampleIndex));
        Assert.Contains("#0", leak.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_out_of_range_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FineTuningValidator(new FineTuningValidationOptions { MaxTokensPerExample = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FineTuningValidator(new FineTuningValidationOptions { NearDuplicateSimilarity = 1.5 }));
    }

    [Fact]
    public void The_report_text_lists_each_issue_with_set_example_and_field()
    {
        var issue = new FineTuningIssue(FineTuningIssueSeverity.Error, FineTuningRules.EmptyContent, "training", 3, "t.jsonl:4", "messages[1].content", "no content");
        Assert.Equal("error [empty-content] training #3 (t.jsonl:4) messages[1].content: no content", issue.ToString());
    }

    [Fact]
    public async Task Accepts_a_well_formed_preference_pair_and_counts_its_tokens()
    {
        var pair = new PreferenceExample([new(ChatRole.System, "Be brief."), User("Capital of France?")], Assistant("Paris."), Assistant("It might be Lyon.")) { Id = "p1" };

        var report = await Lenient.ValidatePreferencesAsync([pair]);

        Assert.True(report.IsValid, report.ToString());
        Assert.Empty(report.Issues);
        Assert.True(report.TrainingTokens[0] > 0);
    }

    [Fact]
    public async Task Reports_a_preference_pair_whose_answers_are_empty_or_not_assistant_messages()
    {
        var pair = new PreferenceExample([User("Capital of France?")], Assistant(" "), User("Lyon")) { Id = "p1" };

        var issues = (await Lenient.ValidatePreferencesAsync([pair])).Issues;

        Assert.Contains(issues, i => i.Rule == FineTuningRules.EmptyContent && i.Field == "preferred_output[0].content" && i.ExampleId == "p1");
        Assert.Contains(issues, i => i.Rule == FineTuningRules.Role && i.Field == "non_preferred_output[0].role" && i.Message.Contains("user message", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reports_a_preference_pair_whose_input_is_empty_or_does_not_end_with_a_user_message()
    {
        var empty = new PreferenceExample([], Assistant("Paris."), Assistant("Lyon."));
        var endsWithAssistant = new PreferenceExample([User("Capital of France?"), Assistant("Let me think.")], Assistant("Paris."), Assistant("Lyon."));

        var issues = (await Lenient.ValidatePreferencesAsync([empty, endsWithAssistant])).Issues;

        Assert.Contains(issues, i => i.ExampleIndex == 0 && i.Rule == FineTuningRules.Preference && i.Field == "input.messages");
        Assert.Contains(issues, i => i.ExampleIndex == 1 && i.Rule == FineTuningRules.Preference && i.Field == "input.messages[1].role");
    }

    [Fact]
    public async Task Reports_the_inputs_own_problems_with_the_preference_formats_field_names()
    {
        var pair = new PreferenceExample([new(new ChatRole("narrator"), "Once"), User("Capital?"), User(" ")], Assistant("Paris."), Assistant("Lyon."));

        var issues = (await Lenient.ValidatePreferencesAsync([pair])).Issues;

        Assert.Contains(issues, i => i.Rule == FineTuningRules.Role && i.Field == "input.messages[0].role");
        Assert.Contains(issues, i => i.Rule == FineTuningRules.EmptyContent && i.Field == "input.messages[2].content");
        Assert.DoesNotContain(issues, i => i.Field?.StartsWith("messages", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Reports_a_preference_pair_whose_two_answers_are_the_same()
    {
        var pair = new PreferenceExample([User("Capital of France?")], Assistant("Paris."), Assistant(" Paris. "));

        var issue = Assert.Single((await Lenient.ValidatePreferencesAsync([pair])).Issues);

        Assert.Equal(FineTuningRules.Preference, issue.Rule);
        Assert.Equal("non_preferred_output[0].content", issue.Field);
        Assert.Equal(FineTuningIssueSeverity.Error, issue.Severity);
    }

    [Fact]
    public async Task Reports_too_few_preference_pairs_and_checks_the_validation_set_too()
    {
        var validator = new FineTuningValidator();
        var good = new PreferenceExample([User("Capital of France?")], Assistant("Paris."), Assistant("Lyon."));
        var bad = new PreferenceExample([User("Capital of Spain?")], Assistant("Madrid."), Assistant("Madrid."));

        var report = await validator.ValidatePreferencesAsync([good], [bad]);

        Assert.False(report.IsValid);
        Assert.Contains(report.Issues, i => i.Rule == FineTuningRules.MinExamples && i.Message.Contains("1 preference pairs", StringComparison.Ordinal));
        Assert.Contains(report.Issues, i => i.Set == "validation" && i.Rule == FineTuningRules.Preference);
        Assert.Single(report.ValidationTokens);
    }
}
