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
        { o => o.MaxDelay = TimeSpan.FromMilliseconds(500), "MaxDelay", "between BaseDelay" },
        { o => o.AttemptTimeout = TimeSpan.FromMilliseconds(5), "AttemptTimeout", "between 00:00:00.010" },
        { o => o.TotalTimeout = TimeSpan.FromDays(2), "TotalTimeout", "between 00:00:00.010" },
        { o => o.TotalTimeout = TimeSpan.FromSeconds(50), "TotalTimeout", "at least AttemptTimeout" },
        { o => o.CircuitBreaker = null!, "CircuitBreaker", "Enabled to false" },
        { o => o.CircuitBreaker.FailureRatio = 0, "CircuitBreaker.FailureRatio", "greater than 0 and at most 1" },
        { o => o.CircuitBreaker.MinimumThroughput = 1, "CircuitBreaker.MinimumThroughput", "at least 2" },
        { o => o.CircuitBreaker.BreakDuration = TimeSpan.FromMilliseconds(100), "CircuitBreaker.BreakDuration", "between 00:00:00.500" },
    };

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public void Validate_names_the_property_and_the_allowed_range(Action<ResilienceOptions> change, string property, string range)
    {
        var options = new ResilienceOptions();
        change(options);

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains($"ResilienceOptions.{property}", error.Message, StringComparison.Ordinal);
        Assert.Contains(range, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_accepts_no_retries_and_no_timeouts()
    {
        var options = new ResilienceOptions { MaxRetryAttempts = 0, AttemptTimeout = null, TotalTimeout = null, BaseDelay = TimeSpan.Zero };

        options.Validate();
    }

    [Fact]
    public void Clone_copies_every_value_and_shares_no_mutable_state()
    {
        Func<Exception, bool?> shouldRetry = _ => true;
        var original = new ResilienceOptions
        {
            MaxRetryAttempts = 7,
            BaseDelay = TimeSpan.FromSeconds(2),
            MaxDelay = TimeSpan.FromSeconds(20),
            UseJitter = false,
            AttemptTimeout = TimeSpan.FromSeconds(9),
            TotalTimeout = null,
            ShouldRetry = shouldRetry,
            ConfigurationPath = "AiEng:ChatModels:fast",
            CircuitBreaker = new CircuitBreakerOptions { Enabled = false, FailureRatio = 0.3, MinimumThroughput = 4, SamplingDuration = TimeSpan.FromSeconds(5), BreakDuration = TimeSpan.FromSeconds(6) },
        };

        var clone = original.Clone();
        clone.CircuitBreaker.MinimumThroughput = 99;
        clone.MaxRetryAttempts = 1;

        Assert.Equal(7, original.MaxRetryAttempts);
        Assert.Equal(4, original.CircuitBreaker.MinimumThroughput);
        Assert.NotSame(original.CircuitBreaker, clone.CircuitBreaker);
        Assert.Equal(TimeSpan.FromSeconds(2), clone.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(20), clone.MaxDelay);
        Assert.False(clone.UseJitter);
        Assert.Equal(TimeSpan.FromSeconds(9), clone.AttemptTimeout);
        Assert.Null(clone.TotalTimeout);
        Assert.Same(shouldRetry, clone.ShouldRetry);
        Assert.Equal("AiEng:ChatModels:fast", clone.ConfigurationPath);
        Assert.False(clone.CircuitBreaker.Enabled);
        Assert.Equal(0.3, clone.CircuitBreaker.FailureRatio);
        Assert.Equal(TimeSpan.FromSeconds(5), clone.CircuitBreaker.SamplingDuration);
        Assert.Equal(TimeSpan.FromSeconds(6), clone.CircuitBreaker.BreakDuration);
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
