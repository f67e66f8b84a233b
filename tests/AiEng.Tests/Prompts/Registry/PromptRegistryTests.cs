using AiEng.Prompts;
using AiEng.Tests.TestSupport;

namespace AiEng.Tests.Prompts.Registry;

public class PromptRegistryTests
{
    private static string Prompt(string name, string version, string text = "Hi")
        => $"---\nname: {name}\nversion: {version}\n---\nuser:\n{text}\n";

    [Fact]
    public void Addresses_prompts_by_name_for_the_highest_version_and_by_name_at_version()
    {
        using var directory = new TempDirectory();
        directory.WriteText("a/classify-v1.prompty", Prompt("classify", "1.9", "old"));
        directory.WriteText("a/classify-v2.prompty", Prompt("classify", "1.10", "new"));
        directory.WriteText("b/summarize.prompty", Prompt("summarize", "1"));

        PromptRegistry registry = PromptRegistry.FromDirectory(directory.Path);

        Assert.Equal(["classify@1.9", "classify@1.10", "summarize@1"], registry.Prompts.Select(p => p.ToString()));
        Assert.Equal("new", registry.Get("classify").Render(new Dictionary<string, object?>()).Messages[0].Text);
        Assert.Equal("old", registry.Get("classify@1.9").Render(new Dictionary<string, object?>()).Messages[0].Text);
        Assert.False(registry.TryGet("classify@3", out _));
    }

    [Fact]
    public void Each_version_carries_the_hash_of_its_own_content()
    {
        using var directory = new TempDirectory();
        string text = Prompt("p", "1");
        directory.WriteText("p1.prompty", text);
        directory.WriteText("p2.prompty", Prompt("p", "2"));

        PromptRegistry registry = PromptRegistry.FromDirectory(directory.Path);

        Assert.Equal(PromptFile.Parse(text).ContentHash, registry.Get("p@1").Id.ContentHash);
        Assert.NotEqual(registry.Get("p@1").Id.ContentHash, registry.Get("p@2").Id.ContentHash);
    }

    [Fact]
    public void An_unknown_reference_fails_listing_the_known_prompts()
    {
        var registry = new PromptRegistry([PromptTemplate.Parse(Prompt("a", "1"))]);

        KeyNotFoundException error = Assert.Throws<KeyNotFoundException>(() => registry.Get("b"));

        Assert.Contains("a@1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_prompts_with_the_same_name_and_version_are_rejected_naming_both_files()
    {
        using var directory = new TempDirectory();
        directory.WriteText("one.prompty", Prompt("dup", "1"));
        directory.WriteText("two.prompty", Prompt("dup", "1"));

        PromptException error = Assert.Throws<PromptException>(() => PromptRegistry.FromDirectory(directory.Path));

        Assert.Contains("one.prompty", error.Message, StringComparison.Ordinal);
        Assert.Contains("two.prompty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Liquid_files_in_the_directory_are_partials()
    {
        using var directory = new TempDirectory();
        directory.WriteText("shared/tone.liquid", "Be brief.");
        directory.WriteText("p.prompty", "system:\n{% include 'shared/tone' %}\n");

        PromptRegistry registry = PromptRegistry.FromDirectory(directory.Path);

        Assert.Equal("Be brief.", registry.Get("p").Render(new Dictionary<string, object?>()).Messages[0].Text);
    }

    [Fact]
    public void A_malformed_file_in_the_directory_is_reported_with_its_path_and_line()
    {
        using var directory = new TempDirectory();
        string path = directory.WriteText("bad.prompty", "---\nname: x\n---\nuser:\n{% if %}\n");

        PromptException error = Assert.Throws<PromptException>(() => PromptRegistry.FromDirectory(directory.Path));

        Assert.Equal(path, error.File);
        Assert.Equal(5, error.Line);
    }

    [Fact]
    public void Checking_a_directory_reports_every_problem_with_its_file_and_line_not_only_the_first()
    {
        using var directory = new TempDirectory();
        directory.WriteText("shared/tone.liquid", "Be brief.");
        directory.WriteText("good.prompty", "---\nname: good\ninputs:\n  q:\n    type: string\nsample:\n  q: hi\n---\nsystem:\n{% include 'shared/tone' %}\nuser:\n{{ q }}\n");
        string syntax = directory.WriteText("a-syntax.prompty", "---\nname: x\n---\nuser:\n{% if %}\n");
        string unknown = directory.WriteText("b-unknown.prompty", "---\nname: y\ninputs:\n  q:\n    type: string\nsample:\n  q: hi\n---\nuser:\n{{ question }}\n");
        string one = directory.WriteText("c-dup.prompty", Prompt("dup", "1"));
        string two = directory.WriteText("d-dup.prompty", Prompt("dup", "1", "other"));

        IReadOnlyList<PromptException> problems = PromptRegistry.CheckDirectory(directory.Path);

        Assert.Equal(3, problems.Count);
        Assert.Equal(syntax, problems[0].File);
        Assert.Equal(5, problems[0].Line);
        Assert.Equal(unknown, problems[1].File);
        Assert.Contains("question", problems[1].Message, StringComparison.Ordinal);
        Assert.True(problems[1].Line > 0);
        Assert.Equal(two, problems[2].File);
        Assert.Contains(one, problems[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Checking_a_directory_of_valid_prompts_reports_nothing()
    {
        using var directory = new TempDirectory();
        directory.WriteText("p.prompty", Prompt("p", "1"));
        directory.WriteText("q.prompty", Prompt("q", "1"));

        Assert.Empty(PromptRegistry.CheckDirectory(directory.Path));
        Assert.Throws<DirectoryNotFoundException>(() => PromptRegistry.CheckDirectory(Path.Combine(directory.Path, "missing")));
    }

    [Fact]
    public void Loads_prompts_and_partials_from_embedded_resources()
    {
        PromptRegistry registry = PromptRegistry.FromEmbeddedResources(typeof(PromptRegistryTests).Assembly, "AiEng.Tests.Prompts.Registry.Resources.");

        IPromptTemplate greet = registry.Get("greet@1.0");
        PromptRenderResult result = greet.Render(new Dictionary<string, object?> { ["name"] = "Ann" });

        Assert.Equal(["Be warm.", "Hello Ann"], result.Messages.Select(m => m.Text));
    }

    [Theory]
    [InlineData("1.10", "1.9", 1)]
    [InlineData("2", "2.0", 0)]
    [InlineData("1.0-beta", "1.0-alpha", 1)]
    public void Compares_versions_part_by_part(string x, string y, int sign)
        => Assert.Equal(sign, Math.Sign(PromptRegistry.CompareVersions(x, y)));
}
