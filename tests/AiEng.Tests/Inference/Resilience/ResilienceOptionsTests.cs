using AiEng.Inference;
using Microsoft.Extensions.Configuration;

namespace AiEng.Tests.Inference.Resilience;

public class ResilienceOptionsTests
{
    [Fact]
    public void Has_the_documented_defaults()
    {
        var options = new ResilienceOptions();

        Assert.Equal(3, options.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), options.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MaxDelay);
        Assert.True(options.UseJitter);
        Assert.Equal(TimeSpan.FromSeconds(100), options.AttemptTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), options.TotalTimeout);
        Assert.True(options.CircuitBreaker.Enabled);
        Assert.Equal(0.5, options.CircuitBreaker.FailureRatio);
        Assert.Equal(10, options.CircuitBreaker.MinimumThroughput);
        Assert.Equal(TimeSpan.FromSeconds(30), options.CircuitBreaker.SamplingDuration);
        Assert.Equal(TimeSpan.FromSeconds(15), options.CircuitBreaker.BreakDuration);
        Assert.Null(options.ShouldRetry);
        Assert.Null(options.ConfigurationPath);
        options.Validate();
    }

    public static TheoryData<Action<ResilienceOptions>, string, string> InvalidValues() => new()
    {
        { o => o.MaxRetryAttempts = -1, "MaxRetryAttempts", "between 0 and 100" },
        { o => o.MaxRetryAttempts = 101, "MaxRetryAttempts", "between 0 and 100" },
        { o => o.BaseDelay = TimeSpan.FromSeconds(-1), "BaseDelay", "between 00:00:00 and 1.00:00:00" },
        { o => o.MaxDelay = TimeSpan.FromMilliseconds(500), "MaxDelay", "at least AiEng:Resilience:BaseDelay (00:00:01)" },
        { o => o.AttemptTimeout = TimeSpan.FromMilliseconds(5), "AttemptTimeout", "between 00:00:00.010" },
        { o => o.TotalTimeout = TimeSpan.FromDays(2), "TotalTimeout", "between 00:00:00.010" },
        { o => o.TotalTimeout = TimeSpan.FromSeconds(50), "TotalTimeout", "at least AiEng:Resilience:AttemptTimeout (00:01:40)" },
        { o => o.CircuitBreaker = null!, "CircuitBreaker", "Enabled to false" },
        { o => o.CircuitBreaker.FailureRatio = 0, "CircuitBreaker:FailureRatio", "greater than 0 and at most 1" },
        { o => o.CircuitBreaker.MinimumThroughput = 1, "CircuitBreaker:MinimumThroughput", "at least 2" },
        { o => o.CircuitBreaker.BreakDuration = TimeSpan.FromMilliseconds(100), "CircuitBreaker:BreakDuration", "between 00:00:00.500" },
    };

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public void Validate_names_the_key_its_environment_variable_and_the_allowed_range(Action<ResilienceOptions> change, string key, string range)
    {
        var options = new ResilienceOptions();
        change(options);

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains($"AiEng:Resilience:{key} is ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"(environment variable AiEng__Resilience__{key.Replace(":", "__", StringComparison.Ordinal)}", error.Message, StringComparison.Ordinal);
        Assert.Contains(range, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_reports_every_value_out_of_range_with_an_example()
    {
        var options = new ResilienceOptions { MaxRetryAttempts = -1 };
        options.CircuitBreaker.FailureRatio = 2;

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains(
            "AiEng:Resilience:MaxRetryAttempts is -1 but must be between 0 and 100, for example 3 (environment variable AiEng__Resilience__MaxRetryAttempts=3).",
            error.Message,
            StringComparison.Ordinal);
        Assert.Contains(
            "AiEng:Resilience:CircuitBreaker:FailureRatio is 2 but must be greater than 0 and at most 1, for example 0.5 (environment variable AiEng__Resilience__CircuitBreaker__FailureRatio=0.5).",
            error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_accepts_no_retries_and_no_timeouts()
    {
        var options = new ResilienceOptions { MaxRetryAttempts = 0, AttemptTimeout = null, TotalTimeout = null, BaseDelay = TimeSpan.Zero };

        options.Validate();
    }

    [Fact]
    public void Binds_from_the_AiEng_Resilience_configuration_section()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AiEng:Resilience:MaxRetryAttempts"] = "5",
                ["AiEng:Resilience:BaseDelay"] = "00:00:02",
                ["AiEng:Resilience:UseJitter"] = "false",
                ["AiEng:Resilience:AttemptTimeout"] = "00:00:45",
                ["AiEng:Resilience:CircuitBreaker:Enabled"] = "false",
                ["AiEng:Resilience:CircuitBreaker:BreakDuration"] = "00:01:00",
            })
            .Build();
        var options = new ResilienceOptions();

        configuration.GetSection(ResilienceOptions.SectionName).Bind(options);

        Assert.Equal(5, options.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(2), options.BaseDelay);
        Assert.False(options.UseJitter);
        Assert.Equal(TimeSpan.FromSeconds(45), options.AttemptTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), options.TotalTimeout);
        Assert.False(options.CircuitBreaker.Enabled);
        Assert.Equal(TimeSpan.FromMinutes(1), options.CircuitBreaker.BreakDuration);
        Assert.Equal(10, options.CircuitBreaker.MinimumThroughput);
        options.Validate();
    }
}
