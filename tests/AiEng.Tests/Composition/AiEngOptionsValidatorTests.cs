using AiEng.Providers;
using AiEng.Tests.TestSupport;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng.Tests.Composition;

public class AiEngOptionsValidatorTests
{
    private const string Secret = "sk-test-6f1c2b9e0d4a4f7fb1e2";

    [Fact]
    public void The_default_configuration_passes_start_up_validation()
    {
        using var services = TestServices.Build();

        StartupValidation.Validate(services);
    }

    [Fact]
    public void A_missing_model_fails_naming_the_key_and_an_example()
    {
        var message = StartUpFailure(("AiEng:ChatModels:smart:Provider", "Remote"));

        Assert.Contains("AiEng:ChatModels:smart:Model is missing", message, StringComparison.Ordinal);
        Assert.Contains("AiEng:ChatModels:smart:Model=gpt-4o-mini", message, StringComparison.Ordinal);
        Assert.Contains("AiEng__ChatModels__smart__Model=gpt-4o-mini", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_endpoint_fails_naming_the_key_and_an_example()
    {
        var message = StartUpFailure(("AiEng:Chat:Provider", "Remote"), ("AiEng:Chat:Model", "m"), ("AiEng:Chat:Endpoint", "localhost:11434"));

        Assert.Contains("AiEng:Chat:Endpoint is not an absolute http or https URL: 'localhost:11434'", message, StringComparison.Ordinal);
        Assert.Contains("AiEng:Chat:Endpoint=http://localhost:11434/v1", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unregistered_provider_names_its_package_and_extension_by_convention()
    {
        var message = StartUpFailure(("AiEng:Chat:Provider", "Ollama"), ("AiEng:Chat:Model", "llama3.2"));

        Assert.Contains("AiEng:Chat:Provider is 'Ollama', but no provider of that name is registered", message, StringComparison.Ordinal);
        Assert.Contains("registered chat providers: Offline, Remote", message, StringComparison.Ordinal);
        Assert.Contains("by convention that is the package AiEng.Ollama with .AddOllama() on the builder AddAiEng returns", message, StringComparison.Ordinal);
        Assert.Contains("services.AddAiEng(configuration).AddOllama()", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_provider_suggests_a_registered_one_its_package_by_convention_or_a_provider_of_your_own()
    {
        var message = StartUpFailure(("AiEng:Chat:Provider", "Mystery"));

        Assert.Contains("AiEng:Chat:Provider is 'Mystery'", message, StringComparison.Ordinal);
        Assert.Contains("AiEng:Chat:Provider=Offline", message, StringComparison.Ordinal);
        foreach (var hint in new[] { "AiEng.Mystery with .AddMystery()", "register your own ModelProvider named 'Mystery' with .AddProvider(" })
        {
            Assert.Contains(hint, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_referenced_AiEng_package_that_declares_no_provider_is_not_taken_for_the_providers_package()
    {
        // AiEng.Retrieval is referenced by the application (this test project) but declares no ModelProvider.
        var message = StartUpFailure(("AiEng:Chat:Provider", "retrieval"));

        Assert.DoesNotContain("The application references", message, StringComparison.Ordinal);
        Assert.Contains("AiEng.retrieval with .Addretrieval()", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_provider_of_no_conventional_name_gets_the_convention_with_an_example()
    {
        var message = StartUpFailure(("AiEng:Embeddings:Provider", "my provider"));

        Assert.Contains("AiEng:Embeddings:Provider is 'my provider'", message, StringComparison.Ordinal);
        Assert.Contains("provider X comes with the package AiEng.X and is registered with .AddX() on the builder AddAiEng returns (for example AiEng.Onnx with .AddOnnx())", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_provider_that_does_not_serve_the_kind_of_model_fails()
    {
        var message = StartUpFailure(("AiEng:Embeddings:Provider", "Offline"));

        Assert.Contains("AiEng:Embeddings:Provider is 'Offline', which does not serve embedding models", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_provider_fails_naming_the_key()
    {
        var message = StartUpFailure(("AiEng:Chat:Provider", ""));

        Assert.Contains("AiEng:Chat:Provider is empty", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_set_while_the_provider_is_still_Offline_fails_because_the_provider_was_probably_forgotten()
    {
        var message = StartUpFailure(("AiEng:Chat:Model", "gpt-4o-mini"));

        Assert.Contains("AiEng:Chat:Model ('gpt-4o-mini') is set, but AiEng:Chat:Provider is 'Offline'", message, StringComparison.Ordinal);
        Assert.Contains("AiEng:Chat:Provider=OpenAI", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Provider_specific_checks_are_reported_with_the_models_configuration_path()
    {
        var remote = new RemoteModelProvider { Check = (options, path, errors) => errors.Add($"{path}:Settings:Region must be set, for example eu.") };
        using var services = TestServices.Build(
            TestServices.Configuration(("AiEng:ChatModels:fast:Provider", "Remote"), ("AiEng:ChatModels:fast:Model", "m")),
            builder => builder.AddProvider(remote));

        var error = Assert.Throws<OptionsValidationException>(() => StartupValidation.Validate(services));

        Assert.Contains("AiEng:ChatModels:fast:Settings:Region must be set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_up_validation_reports_every_problem_at_once()
    {
        var message = StartUpFailure(("AiEng:Chat:Provider", "Mystery"), ("AiEng:ChatModels:fast:Provider", "Remote"));

        Assert.Contains("AiEng:Chat:Provider", message, StringComparison.Ordinal);
        Assert.Contains("AiEng:ChatModels:fast:Model", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolving_a_client_before_start_up_validation_fails_with_the_same_message()
    {
        (string, string?)[] configuration = [("AiEng:Chat:Provider", "Remote"), ("AiEng:Chat:Endpoint", "not a url")];
        var startUp = StartUpFailure(configuration);
        using var services = BuildWithRemote(configuration);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IChatClient>());

        Assert.Equal(startUp, error.Message);
    }

    [Fact]
    public void A_named_model_added_after_AddAiEng_is_served_as_a_keyed_client()
    {
        using var services = TestServices.Build(
            TestServices.Configuration(),
            more: collection => collection.Configure<AiEngOptions>(options => options.ChatModels["late"] = new ModelOptions { Provider = "Offline" }));

        StartupValidation.Validate(services);

        Assert.Same(services.GetRequiredKeyedService<IChatClient>("late"), services.GetRequiredKeyedService<IChatClient>("late"));
    }

    [Fact]
    public void The_api_key_never_appears_in_validation_messages_or_ToString()
    {
        var leaky = new RemoteModelProvider { Check = (options, path, errors) => errors.Add($"{path}:ApiKey '{options.ApiKey}' is rejected.") };
        using var services = TestServices.Build(
            TestServices.Configuration(
                ("AiEng:Chat:Provider", "Remote"),
                ("AiEng:Chat:ApiKey", Secret),
                ("AiEng:Chat:Endpoint", $"https//example.com?key={Secret}"),
                ("AiEng:ChatModels:smart:ApiKey", Secret),
                ("AiEng:ChatModels:other:Provider", $"x{Secret}"),
                ("AiEng:ChatModels:other:ApiKey", Secret),
                ("AiEng:ChatModels:offline:Provider", "Offline"),
                ("AiEng:ChatModels:offline:ApiKey", Secret)),
            builder => builder.AddProvider(leaky));

        var startUp = Assert.Throws<OptionsValidationException>(() => StartupValidation.Validate(services));
        var resolve = Assert.Throws<OptionsValidationException>(() => services.GetRequiredKeyedService<IChatClient>("smart"));
        var options = new AiEngOptions { Chat = new ModelOptions { Provider = "Remote", ApiKey = Secret } };
        options.ChatModels["fast"] = new ModelOptions { ApiKey = Secret };

        Assert.Contains("AiEng:Chat:ApiKey '***' is rejected.", startUp.Message, StringComparison.Ordinal);
        Assert.Contains("AiEng:ChatModels:offline:ApiKey is set", startUp.Message, StringComparison.Ordinal);
        foreach (var text in startUp.Failures.Append(startUp.Message).Append(resolve.Message).Append(options.ToString()).Append(options.Chat.ToString()))
        {
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        }
    }

    private static ServiceProvider BuildWithRemote(params (string Key, string? Value)[] values) =>
        TestServices.Build(TestServices.Configuration(values), builder => builder.AddProvider(new RemoteModelProvider()));

    private static string StartUpFailure(params (string Key, string? Value)[] values)
    {
        using var services = BuildWithRemote(values);
        return Assert.Throws<OptionsValidationException>(() => StartupValidation.Validate(services)).Message;
    }
}
