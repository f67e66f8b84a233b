using AiEng.Inference;
using Microsoft.Extensions.Configuration;

namespace AiEng.Tests.Inference.Usage;

public sealed class UsageTrackingOptionsTests
{
    [Fact]
    public void Has_documented_defaults()
    {
        var options = new UsageTrackingOptions();

        Assert.Equal("USD", options.Currency);
        Assert.Empty(options.Prices);
        Assert.Empty(options.Budgets);
        Assert.Null(options.DefaultCallerTag);
        Assert.Equal(1024, options.DefaultMaxOutputTokensForBudget);
        Assert.False(options.EnableMetrics);
        Assert.Empty(Validate(options));
    }

    [Fact]
    public void Binds_from_configuration()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiEng:Usage:Currency"] = "EUR",
            ["AiEng:Usage:DefaultCallerTag"] = "web",
            ["AiEng:Usage:EnableMetrics"] = "true",
            ["AiEng:Usage:Prices:gpt-4o-mini:InputPerMillion"] = "0.15",
            ["AiEng:Usage:Prices:gpt-4o-mini:OutputPerMillion"] = "0.6",
            ["AiEng:Usage:Prices:gpt-4o-mini:CachedInputPerMillion"] = "0.075",
            ["AiEng:Usage:Budgets:daily:MaxCost"] = "5",
            ["AiEng:Usage:Budgets:daily:Window"] = "Day",
            ["AiEng:Usage:Budgets:support:MaxTokens"] = "200000",
            ["AiEng:Usage:Budgets:support:CallerTag"] = "support",
        }).Build();
        var options = new UsageTrackingOptions();

        configuration.GetSection(UsageTrackingOptions.ConfigurationSection).Bind(options);

        Assert.Equal("EUR", options.Currency);
        Assert.Equal("web", options.DefaultCallerTag);
        Assert.True(options.EnableMetrics);
        Assert.Equal(0.075m, options.Prices["GPT-4O-MINI"].CachedInputPerMillion);
        Assert.Equal(UsageBudgetWindow.Day, options.Budgets["daily"].Window);
        Assert.Equal(5m, options.Budgets["daily"].MaxCost);
        Assert.Equal(200_000, options.Budgets["support"].MaxTokens);
        Assert.Empty(Validate(options));
    }

    [Fact]
    public void Reports_each_invalid_value_by_its_configuration_key()
    {
        var options = new UsageTrackingOptions { Currency = "", DefaultMaxOutputTokensForBudget = -1 };
        options.Prices["gpt-4o"] = new ModelPrice { InputPerMillion = 1m, OutputPerMillion = -2m, CachedInputPerMillion = -0.5m };
        options.Budgets["nothing"] = new UsageBudget();
        options.Budgets["negative"] = new UsageBudget { MaxCost = -1m, MaxTokens = -5 };
        options.Budgets["typo"] = new UsageBudget { MaxTokens = 1, Operation = "completions" };

        List<string> errors = Validate(options);

        Assert.Contains(errors, e => e.StartsWith("AiEng:Usage:Currency", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("AiEng:Usage:DefaultMaxOutputTokensForBudget", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("AiEng:Usage:Prices:gpt-4o:OutputPerMillion is -2 but must be zero or positive, for example 0.6 (environment variable AiEng__Usage__Prices__gpt-4o__OutputPerMillion=0.6)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("AiEng:Usage:Prices:gpt-4o:CachedInputPerMillion", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("AiEng:Usage:Budgets:nothing sets no limit", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("AiEng:Usage:Budgets:negative:MaxCost", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("AiEng:Usage:Budgets:negative:MaxTokens", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("AiEng:Usage:Budgets:typo:Operation", StringComparison.Ordinal));
        Assert.Equal(8, errors.Count);
    }

    private static List<string> Validate(UsageTrackingOptions options)
    {
        var errors = new List<string>();
        options.Validate(UsageTrackingOptions.ConfigurationSection, errors);
        return errors;
    }
}
