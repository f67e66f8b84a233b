using System.Text.Json;
using AiEng.FineTuning;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.FineTuning.Secrets;

public sealed class SecretScannerTests
{
    private const string OpenAIKey = "sk-proj-abcDEF1234567890ghijKLMNOP";
    private const string Email = "jane.doe@example.co.uk";
    private const string Card = "4111 1111 1111 1111";

    [Theory]
    [InlineData("key " + OpenAIKey + " here", SecretKind.OpenAIApiKey)]
    [InlineData("aws AKIAIOSFODNN7EXAMPLE ok", SecretKind.AwsAccessKeyId)]
    [InlineData("token ghp_abcdefghijklmnopqrstuvwxyz0123456789AB", SecretKind.GitHubToken)]
    [InlineData("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTYifQ.c2lnbmF0dXJlX3BhcnQ", SecretKind.JsonWebToken)]
    [InlineData("Authorization: Bearer abcdefghijklmnop1234", SecretKind.BearerToken)]
    [InlineData("mail " + Email + ".", SecretKind.EmailAddress)]
    [InlineData("call +47 22 33 44 55 now", SecretKind.PhoneNumber)]
    [InlineData("call (555) 123-4567 now", SecretKind.PhoneNumber)]
    [InlineData("card " + Card + " exp", SecretKind.PaymentCardNumber)]
    [InlineData("card 5500-0000-0000-0004", SecretKind.PaymentCardNumber)]
    public void Finds_each_kind(string text, SecretKind kind)
    {
        (SecretKind Kind, int Offset, int Length) found = Assert.Single(SecretScanner.Find(text));
        Assert.Equal(kind, found.Kind);
    }

    [Theory]
    [InlineData("order 4111111111111112 shipped")]
    [InlineData("version 1.2.3 released 2024-05-01")]
    [InlineData("the sky is blue")]
    public void Does_not_flag_numbers_that_fail_the_luhn_check_or_ordinary_text(string text)
    {
        Assert.Empty(SecretScanner.Find(text));
    }

    [Fact]
    public void Luhn_check_matches_known_numbers()
    {
        Assert.True(SecretScanner.PassesLuhn("4111111111111111"));
        Assert.True(SecretScanner.PassesLuhn("79927398713"));
        Assert.False(SecretScanner.PassesLuhn("79927398710"));
    }

    [Fact]
    public void Redaction_replaces_each_finding_with_a_typed_placeholder_and_leaves_the_input_alone()
    {
        FineTuningExample original = TrainingData.Chat($"My card is {Card}, mail me at {Email}", "Thanks, noted.");
        FineTuningExample clean = TrainingData.Chat("Nothing secret", "Fine.");

        SecretRedaction redaction = SecretScanner.Redact([clean, original]);

        Assert.Same(clean, redaction.Examples[0]);
        Assert.Equal("My card is [REDACTED:PaymentCardNumber], mail me at [REDACTED:EmailAddress]", redaction.Examples[1].Messages[1].Text);
        Assert.Contains(Card, original.Messages[1].Text, StringComparison.Ordinal);
        Assert.Equal([SecretKind.PaymentCardNumber, SecretKind.EmailAddress], redaction.Report.Findings.Select(f => f.Kind));
        Assert.All(redaction.Report.Findings, f => Assert.Equal((1, "messages[1].content"), (f.ExampleIndex, f.Field)));
        Assert.Equal(11, redaction.Report.Findings[0].Offset);
    }

    [Fact]
    public void Tool_call_arguments_and_tool_results_are_scanned_and_redacted()
    {
        var call = new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "send", new Dictionary<string, object?>
        {
            ["to"] = JsonDocument.Parse($"\"{Email}\"").RootElement,
            ["headers"] = JsonDocument.Parse($"{{\"auth\":\"{OpenAIKey}\"}}").RootElement,
        })]);
        var result = new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", "sent to " + Email)]);
        var example = new FineTuningExample([new ChatMessage(ChatRole.User, "send it"), call, result, new ChatMessage(ChatRole.Assistant, "Sent.")]);

        SecretRedaction redaction = SecretScanner.Redact([example]);

        Assert.Equal(["messages[1].tool_calls[0].function.arguments.to", "messages[1].tool_calls[0].function.arguments.headers", "messages[2].content"],
            redaction.Report.Findings.Select(f => f.Field));
        var redactedCall = (FunctionCallContent)redaction.Examples[0].Messages[1].Contents[0];
        Assert.Equal("[REDACTED:EmailAddress]", redactedCall.Arguments!["to"]);
        Assert.Equal("[REDACTED:OpenAIApiKey]", ((JsonElement)redactedCall.Arguments["headers"]!).GetProperty("auth").GetString());
        Assert.Equal("sent to [REDACTED:EmailAddress]", ((FunctionResultContent)redaction.Examples[0].Messages[2].Contents[0]).Result);
    }

    [Fact]
    public void The_report_never_contains_the_secret()
    {
        FineTuningExample example = TrainingData.Chat($"key {OpenAIKey} card {Card} mail {Email}", "ok");
        SecretScanReport report = SecretScanner.Scan([example]);

        Assert.Equal(3, report.Findings.Count);
        string text = report.ToString() + JsonSerializer.Serialize(report) + string.Join("|", report.Findings);
        Assert.DoesNotContain(OpenAIKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("4111", text, StringComparison.Ordinal);
        Assert.DoesNotContain("jane", text, StringComparison.Ordinal);
        Assert.Contains("OpenAIApiKey in example #0 messages[1].content at 4", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clean_set_reports_nothing()
    {
        SecretScanReport report = SecretScanner.Scan(TrainingData.Many(5));
        Assert.True(report.IsClean);
        Assert.Equal("No secrets or personal data found.", report.ToString());
    }
}
