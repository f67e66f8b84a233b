using AiEng.Prompts;
using AiEng.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiEng.Tests.DependencyInjection;

public sealed class PromptsAiEngBuilderExtensionsTests
{
    private const string Prompt = "---\nname: greet\nversion: 1.0.0\ninputs:\n  who:\n    type: string\n---\nuser:\nHello {{ who }}\n";

    [Fact]
    public void Registers_a_registry_loaded_from_the_configured_directory()
    {
        using var directory = new TempDirectory();
        directory.WriteText("greet.prompty", Prompt);
        using ServiceProvider services = TestServices.Build(
            TestServices.Configuration(("AiEng:Prompts:Directory", directory.Path)), aieng => aieng.AddPrompts());

        StartupValidation.Validate(services);
        IPromptRegistry registry = services.GetRequiredService<IPromptRegistry>();

        Assert.Equal("greet@1.0.0", Assert.Single(registry.Prompts).ToString());
        Assert.Same(registry, services.GetRequiredService<IPromptRegistry>());
    }

    [Fact]
    public void A_directory_given_in_code_overrides_configuration()
    {
        using var configured = new TempDirectory();
        using var given = new TempDirectory();
        given.WriteText("nested/greet.prompty", Prompt);
        using ServiceProvider services = TestServices.Build(
            TestServices.Configuration(("AiEng:Prompts:Directory", configured.Path)), aieng => aieng.AddPrompts(given.Path));

        Assert.Equal("greet", Assert.Single(services.GetRequiredService<IPromptRegistry>().Prompts).Name);
    }

    [Fact]
    public void A_missing_directory_fails_start_up_naming_the_key()
    {
        using ServiceProvider services = TestServices.Build(
            TestServices.Configuration(("AiEng:Prompts:Directory", "/no/such/prompts")), aieng => aieng.AddPrompts());

        var error = Assert.Throws<OptionsValidationException>(() => StartupValidation.Validate(services));

        Assert.Contains("AiEng:Prompts:Directory is '/no/such/prompts', which does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unset_directory_fails_start_up_naming_the_key()
    {
        using ServiceProvider services = TestServices.Build(TestServices.Configuration(), aieng => aieng.AddPrompts());

        var error = Assert.Throws<OptionsValidationException>(() => StartupValidation.Validate(services));

        Assert.Contains("AiEng:Prompts:Directory is not set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binds_the_sandbox_limits_from_configuration()
    {
        using var directory = new TempDirectory();
        directory.WriteText("loop.prompty", "---\nname: loop\n---\nuser:\n{% for i in (1..100) %}{{ i }}{% endfor %}\n");
        using ServiceProvider services = TestServices.Build(
            TestServices.Configuration(("AiEng:Prompts:Directory", directory.Path), ("AiEng:Prompts:Template:MaxSteps", "10")),
            aieng => aieng.AddPrompts());

        IPromptTemplate template = services.GetRequiredService<IPromptRegistry>().Get("loop");

        Assert.Throws<PromptException>(() => template.Render(new Dictionary<string, object?>()));
    }

    [Fact]
    public void Checks_its_arguments_when_added()
    {
        AiEngBuilder builder = new ServiceCollection().AddAiEng(TestServices.Configuration());
        Assert.Throws<ArgumentNullException>(() => PromptsAiEngBuilderExtensions.AddPrompts(null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddPrompts((Action<PromptRegistryOptions>)null!));
        Assert.Throws<ArgumentException>(() => builder.AddPrompts(" "));
    }
}
