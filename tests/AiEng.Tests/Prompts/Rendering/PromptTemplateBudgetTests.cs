using AiEng.Prompts;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Prompts.Rendering;

/// <summary>Token-budgeted rendering of <see cref="PromptTemplate"/> (split from <see cref="PromptTemplateTests"/> for size).</summary>
public class PromptTemplateBudgetTests
{
    private const string Rag = """
        ---
        inputs:
          question:
            type: string
            required: true
          context:
            type: string
            priority: 2
          examples:
            type: array
            priority: 1
        ---
        system:
        Answer from the context.
        Context: {{ context }}
        examples:
        user:
        {{ question }}
        """;

    private static readonly WordTokenCounter s_words = new();

    private static Dictionary<string, object?> Inputs(int examples, int contextWords) => new()
    {
        ["question"] = "why is the sky blue",
        ["context"] = string.Join(' ', Enumerable.Range(0, contextWords).Select(i => "w" + i)),
        ["examples"] = Enumerable.Range(0, examples).Select(i => new PromptExample($"q{i} a b", $"a{i} c d")).ToList(),
    };

    private static PromptRenderResult Render(int budget, int examples = 4, int contextWords = 20)
        => PromptTemplate.Parse(Rag).Render(Inputs(examples, contextWords), new PromptRenderOptions { MaxInputTokens = budget, TokenCounter = s_words });

    [Fact]
    public void Cuts_nothing_when_the_prompt_fits()
    {
        PromptRenderResult result = Render(budget: 1000);

        Assert.Empty(result.Cuts);
        Assert.Equal(10, result.Messages.Count);
        Assert.True(result.InputTokens <= 1000);
    }

    [Fact]
    public void Drops_the_lowest_priority_examples_from_their_end_first()
    {
        int full = Render(budget: 1000).InputTokens!.Value;

        // One example pair costs 2 x (3 framing + 1 role + 3 words) = 14 tokens: dropping two saves 28.
        PromptRenderResult result = Render(budget: full - 20);

        PromptBudgetCut cut = Assert.Single(result.Cuts);
        Assert.Equal(("examples", 2, false), (cut.Input, cut.ItemsDropped, cut.Trimmed));
        Assert.Equal(28, cut.TokensRemoved);
        Assert.Equal(full - 28, result.InputTokens);
        Assert.Equal("q0 a b", result.Messages[1].Text);
        Assert.Equal("q1 a b", result.Messages[3].Text);
        Assert.Contains("w19", result.Messages[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Trims_the_context_after_every_example_is_dropped_but_never_the_instructions_or_the_question()
    {
        PromptRenderResult result = Render(budget: 30);

        Assert.Equal(["examples", "context"], result.Cuts.Select(c => c.Input));
        Assert.Equal(4, result.Cuts[0].ItemsDropped);
        Assert.True(result.Cuts[1].Trimmed);
        Assert.Equal([ChatRole.System, ChatRole.User], result.Messages.Select(m => m.Role));
        Assert.StartsWith("Answer from the context.\nContext: w0 w1", result.Messages[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("w19", result.Messages[0].Text, StringComparison.Ordinal);
        Assert.Equal("why is the sky blue", result.Messages[1].Text);
        Assert.InRange(result.InputTokens!.Value, 25, 30);
        Assert.Equal(result.InputTokens, AiEng.Tokens.ChatTokenEstimator.CountTokens(s_words, result.Messages));
    }

    [Fact]
    public void Rejects_a_prompt_whose_uncuttable_parts_exceed_the_budget_with_the_token_counts()
    {
        PromptException error = Assert.Throws<PromptException>(() => Render(budget: 10));

        Assert.Equal(10, error.MaxTokens);
        Assert.True(error.RequiredTokens > 10);
        Assert.Contains($"needs {error.RequiredTokens} input tokens", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_the_tokens_of_every_message_after_the_cuts()
    {
        PromptRenderResult result = Render(budget: 30);

        Assert.Equal(result.Messages.Select(m => s_words.CountTokens(m.Text)), result.Sections.Select(s => s.Tokens));
        Assert.Equal(["system", "user"], result.Sections.Select(s => s.Section));
    }
}
