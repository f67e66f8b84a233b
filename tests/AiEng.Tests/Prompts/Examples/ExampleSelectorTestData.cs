using AiEng.Prompts;
using AiEng.Testing;

namespace AiEng.Tests.Prompts.Examples;

/// <summary>Examples and a bag-of-words embedding over a tiny vocabulary, so that tests can reason about similarity.</summary>
internal static class ExampleSelectorTestData
{
    private static readonly string[] Vocabulary = ["refund", "invoice", "password", "login", "shipping", "late"];

    public static PromptExample[] Examples { get; } =
    [
        new("refund invoice", "billing") { Id = "b1" },
        new("refund invoice invoice", "billing") { Id = "b2" },
        new("password login", "account") { Id = "a1" },
        new("shipping late", "delivery") { Id = "d1" },
        new("refund late", "billing") { Id = "b3" },
    ];

    public static TestEmbeddingGenerator Generator { get; } = TestEmbeddingGenerator.FromFunction(
        text => [.. Vocabulary.Select(word => (float)text.Split(' ').Count(w => w == word))]);

    public static Task<EmbeddedExamples> EmbedAsync() => EmbeddedExamples.CreateAsync(Generator, Examples);
}
