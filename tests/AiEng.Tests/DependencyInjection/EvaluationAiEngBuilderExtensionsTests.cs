using AiEng.Evaluation;
using AiEng.Testing;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AiEng.Tests.DependencyInjection;

public sealed class EvaluationAiEngBuilderExtensionsTests
{
    private static readonly EvaluationDataset Capitals = new("capitals", [new EvaluationCase("france", "What is the capital of France?") { Reference = "Paris." }]);

    [Theory]
    [InlineData("smart")]
    [InlineData("SMART")]
    public async Task The_chat_model_named_by_JudgeModel_judges_not_the_default(string judgeModel)
    {
        var defaultModel = Judge(score: 1);
        var smart = Judge(score: 5);
        using ServiceProvider services = Build(
            [("AiEng:Evaluation:JudgeModel", judgeModel)],
            builder => builder.UseChatClient(_ => defaultModel).UseChatClient(_ => smart, "smart"),
            more: s => s.AddSingleton<IEvaluator>(LlmJudgeEvaluator.Relevance()));
        StartupValidation.Validate(services);

        EvaluationRun run = await services.GetRequiredService<EvaluationRunner>().RunAsync(Capitals, Target());

        CaseResult result = Assert.Single(run.Cases);
        Assert.Equal(5, result.GetValue("Relevance"));
        Assert.Equal(1, smart.CallCount);
        Assert.Equal(0, defaultModel.CallCount);

        // The judge is served through AiEng's pipeline, so its call is recorded in the registered ledger under the case.
        Assert.Equal(1, result.ModelCalls);
    }

    [Fact]
    public async Task Without_JudgeModel_the_default_chat_model_judges()
    {
        var defaultModel = Judge(score: 2);
        var smart = Judge(score: 5);
        using ServiceProvider services = Build([], builder => builder.UseChatClient(_ => defaultModel).UseChatClient(_ => smart, "smart"));
        StartupValidation.Validate(services);
        EvaluationRunnerFactory factory = services.GetRequiredService<EvaluationRunnerFactory>();

        EvaluationRun run = await factory.Create([LlmJudgeEvaluator.Relevance()]).RunAsync(Capitals, Target());

        Assert.NotNull(factory.Judge);
        Assert.Equal(2, Assert.Single(run.Cases).GetValue("Relevance"));
        Assert.Equal(0, smart.CallCount);
    }

    [Fact]
    public async Task A_keyed_chat_client_registered_by_the_application_can_judge()
    {
        var external = Judge(score: 4);
        using ServiceProvider services = Build(
            [("AiEng:Evaluation:JudgeModel", "external")], more: s => s.AddKeyedChatClient("external", external));
        StartupValidation.Validate(services);

        EvaluationRun run = await services.GetRequiredService<EvaluationRunnerFactory>().Create([LlmJudgeEvaluator.Relevance()]).RunAsync(Capitals, Target());

        Assert.Equal(4, Assert.Single(run.Cases).GetValue("Relevance"));
    }

    [Fact]
    public async Task The_offline_extractive_responder_is_not_a_judge()
    {
        using ServiceProvider services = Build([]);
        StartupValidation.Validate(services);
        EvaluationRunnerFactory factory = services.GetRequiredService<EvaluationRunnerFactory>();

        EvaluationRun run = await factory.Create([LlmJudgeEvaluator.Relevance(), new TokenF1Evaluator()]).RunAsync(Capitals, Target());

        Assert.Null(factory.Judge);
        CaseResult result = Assert.Single(run.Cases);
        Assert.Equal(1, result.GetValue("Token F1"));
        MetricScore relevance = Assert.Single(result.Metrics, metric => metric.Name == "Relevance");
        Assert.Null(relevance.Value);
        Assert.Contains("No judge is configured", Assert.Single(relevance.Diagnostics).Message, StringComparison.Ordinal);
        Assert.Contains("the offline extractive responder is not a judge", relevance.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runners_take_the_configured_options_and_the_registered_clock()
    {
        using var directory = new TempDirectory();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using ServiceProvider services = Build(
            [("AiEng:Evaluation:RunName", "nightly"), ("AiEng:Evaluation:OutputDirectory", directory.Path), ("AiEng:Evaluation:Resume", "false"), ("AiEng:Evaluation:MaxConcurrency", "2")],
            more: s => s.AddSingleton<TimeProvider>(time).AddSingleton<IEvaluator>(new TokenF1Evaluator()));
        StartupValidation.Validate(services);
        EvaluationRunner runner = services.GetRequiredService<EvaluationRunner>();
        int calls = 0;
        EvaluationTarget target = (evaluationCase, token) =>
        {
            Interlocked.Increment(ref calls);
            return Target()(evaluationCase, token);
        };

        EvaluationRun run = await runner.RunAsync(Capitals, target);
        await runner.RunAsync(Capitals, target);

        Assert.Equal("nightly", run.Name);
        Assert.Equal(time.GetUtcNow(), run.StartedAt);
        Assert.Contains("\"france\"", await File.ReadAllTextAsync(directory.Combine(EvaluationRunner.CasesFileName)), StringComparison.Ordinal);
        Assert.Equal(2, calls);   // Resume = false: the finished case of the first run is run again
    }

    [Fact]
    public async Task The_judge_answers_from_the_configured_cache_on_a_second_run()
    {
        using var directory = new TempDirectory();
        var judge = Judge(score: 3);
        using ServiceProvider services = Build(
            [("AiEng:Evaluation:CacheDirectory", directory.Path)],
            builder => builder.UseChatClient(_ => judge),
            more: s => s.AddSingleton<IEvaluator>(LlmJudgeEvaluator.Relevance()));
        EvaluationRunner runner = services.GetRequiredService<EvaluationRunner>();

        EvaluationRun first = await runner.RunAsync(Capitals, Target());
        EvaluationRun second = await runner.RunAsync(Capitals, Target());

        Assert.Equal(3, Assert.Single(first.Cases).GetValue("Relevance"));
        Assert.Equal(3, Assert.Single(second.Cases).GetValue("Relevance"));
        Assert.Equal(1, judge.CallCount);
    }

    [Fact]
    public async Task Options_set_in_code_override_configuration_and_a_run_can_override_them()
    {
        using ServiceProvider services = Build(
            [("AiEng:Evaluation:RunName", "from-configuration")],
            configure: options => options.RunName = "from-code",
            more: s => s.AddSingleton<IEvaluator>(new TokenF1Evaluator()));
        EvaluationRunnerFactory factory = services.GetRequiredService<EvaluationRunnerFactory>();

        EvaluationRun configured = await services.GetRequiredService<EvaluationRunner>().RunAsync(Capitals, Target());
        EvaluationRun adHoc = await factory.Create([new TokenF1Evaluator()], options => options.RunName = "ad-hoc").RunAsync(Capitals, Target());

        Assert.Equal("from-code", configured.Name);
        Assert.Equal("ad-hoc", adHoc.Name);
    }

    [Theory]
    [InlineData("JudgeModel", "missing", "AiEng:Evaluation:JudgeModel is 'missing', but no chat model of that name is configured: add it under AiEng:ChatModels:missing")]
    [InlineData("JudgeModel", "missing", "or leave AiEng:Evaluation:JudgeModel unset to judge with the default chat model. Configured chat models: smart.")]
    [InlineData("JudgeModel", "missing", "(for example AiEng:ChatModels:missing:Provider = OpenAI and AiEng:ChatModels:missing:Model = gpt-4o-mini, environment variables AiEng__ChatModels__missing__Provider=OpenAI and AiEng__ChatModels__missing__Model=gpt-4o-mini)")]
    [InlineData("JudgeModel", " ", "AiEng:Evaluation:JudgeModel is blank: set it to the name of a chat model under AiEng:ChatModels, or leave it unset to judge with the default chat model, for example smart (environment variable AiEng__Evaluation__JudgeModel=smart).")]
    [InlineData("MaxConcurrency", "0", "AiEng:Evaluation:MaxConcurrency is 0 but must be at least 1, for example 4 (environment variable AiEng__Evaluation__MaxConcurrency=4).")]
    [InlineData("MaxConcurrency", "many", "AiEng:Evaluation:MaxConcurrency is 'many', which is not a whole number, for example 4 (environment variable AiEng__Evaluation__MaxConcurrency=4).")]
    [InlineData("Resume", "maybe", "AiEng:Evaluation:Resume is 'maybe', which is not true or false, for example false (environment variable AiEng__Evaluation__Resume=false).")]
    [InlineData("RunName", " ", "AiEng:Evaluation:RunName is ' ' but must not be empty: set it to the name the reports give the run, for example nightly (environment variable AiEng__Evaluation__RunName=nightly).")]
    public void An_invalid_option_fails_start_up_naming_the_key(string key, string value, string message)
    {
        using ServiceProvider services = Build([("AiEng:Evaluation:" + key, value)], builder => builder.UseChatClient(_ => Judge(5), "smart"));

        var error = Assert.Throws<OptionsValidationException>(() => StartupValidation.Validate(services));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_invalid_option_is_reported_together_including_two_values_the_binder_cannot_convert()
    {
        using ServiceProvider services = Build(
            [("AiEng:Evaluation:MaxConcurrency", "many"), ("AiEng:Evaluation:Resume", "maybe"), ("AiEng:Evaluation:RunName", " ")]);

        var error = Assert.Throws<OptionsValidationException>(() => StartupValidation.Validate(services));

        Assert.Contains("AiEng:Evaluation:MaxConcurrency is 'many', which is not a whole number, for example 4 (environment variable AiEng__Evaluation__MaxConcurrency=4).", error.Failures);
        Assert.Contains("AiEng:Evaluation:Resume is 'maybe', which is not true or false, for example false (environment variable AiEng__Evaluation__Resume=false).", error.Failures);
        Assert.Contains("AiEng:Evaluation:RunName is ' ' but must not be empty: set it to the name the reports give the run, for example nightly (environment variable AiEng__Evaluation__RunName=nightly).", error.Failures);
        Assert.Equal(3, error.Failures.Count());
    }

    [Fact]
    public void An_empty_output_directory_from_configuration_means_none()
    {
        using ServiceProvider services = Build([("AiEng:Evaluation:OutputDirectory", ""), ("AiEng:Evaluation:JudgeModel", "")]);
        StartupValidation.Validate(services);

        string? outputDirectory = "unset";
        services.GetRequiredService<EvaluationRunnerFactory>().Create([new TokenF1Evaluator()], options => outputDirectory = options.OutputDirectory);

        Assert.Null(outputDirectory);
    }

    [Fact]
    public void An_unknown_judge_model_fails_the_first_resolution_when_the_host_was_not_started()
    {
        using ServiceProvider services = Build([("AiEng:Evaluation:JudgeModel", "missing")]);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<EvaluationRunnerFactory>());

        Assert.Contains("AiEng:Evaluation:JudgeModel is 'missing'", error.Message, StringComparison.Ordinal);
        Assert.Contains("No named chat model is configured.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolving_the_runner_without_registered_evaluators_says_what_to_register()
    {
        using ServiceProvider services = Build([]);

        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<EvaluationRunner>());

        Assert.Contains("No IEvaluator is registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_runner_registered_by_the_application_wins_whatever_the_order()
    {
        var before = new EvaluationRunner([new TokenF1Evaluator()]);
        var after = new EvaluationRunner([new TokenF1Evaluator()]);
        using ServiceProvider first = Build([], more: s => s.AddSingleton(before), registerFirst: true);
        using ServiceProvider last = Build([], more: s => s.AddSingleton(after));

        Assert.Same(before, first.GetRequiredService<EvaluationRunner>());
        Assert.Same(after, last.GetRequiredService<EvaluationRunner>());
    }

    [Fact]
    public void Checks_its_arguments_when_added()
    {
        AiEngBuilder builder = new ServiceCollection().AddAiEng(TestServices.Configuration());
        Assert.Throws<ArgumentNullException>(() => EvaluationAiEngBuilderExtensions.AddEvaluation(null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddEvaluation(null!));
        Assert.Throws<ArgumentNullException>(() => EvaluationAiEngBuilderExtensions.AddEvaluation(null!, _ => { }));
    }

    /// <summary>A judge that gives every answer the same score.</summary>
    private static TestChatClient Judge(int score) => TestChatClient.Replying($$"""{"reasoning": "fixed", "score": {{score}}}""");

    /// <summary>The system under test: answers "Paris." without any model.</summary>
    private static EvaluationTarget Target() => (_, _) => ValueTask.FromResult(new EvaluationTargetOutput(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Paris."))));

    private static ServiceProvider Build(
        (string Key, string? Value)[] configuration,
        Action<AiEngBuilder>? models = null,
        Action<EvaluationServiceOptions>? configure = null,
        Action<IServiceCollection>? more = null,
        bool registerFirst = false)
    {
        var services = new ServiceCollection();
        services.AddSingleton<AiEng.Tokens.ITokenCounter>(new WordTokenCounter());
        if (registerFirst)
        {
            more?.Invoke(services);
        }

        AiEngBuilder builder = services.AddAiEng(TestServices.Configuration(configuration));
        models?.Invoke(builder);
        _ = configure is null ? builder.AddEvaluation() : builder.AddEvaluation(configure);
        if (!registerFirst)
        {
            more?.Invoke(services);
        }

        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
