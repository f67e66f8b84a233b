using AiEng.Prompts;

namespace AiEng.Tests.Prompts.Rendering;

/// <summary>
/// Template bodies that made Fluid throw from inside the engine, or allocate without bound, found by fuzzing the prompt
/// parser with a dictionary of Liquid tokens (inputs in tests/AiEng.Fuzz/regressions/prompt): each is now a
/// <see cref="PromptException"/> naming the file and section.
/// </summary>
public class PromptTemplateHostileBodyTests
{
    private static PromptException RenderFails(string body, PromptTemplateOptions? options = null)
    {
        PromptTemplate template = PromptTemplate.Parse("---\nname: hostile\n---\nuser:\n" + body + "\n", "hostile.prompty", options);
        return Assert.Throws<PromptException>(() => template.Render(new Dictionary<string, object?>()));
    }

    [Theory]
    [InlineData("{% render 'x\"y' %}", "x\"y", 1)]
    [InlineData("{% include 6 %}", "6", 1)]
    [InlineData("{% render'tone' %}", "tone", 1)]
    [InlineData("{% if true %}{% for i in (1..2) %}{%- render 'deep' -%}{% endfor %}{% endif %}", "deep", 35)]
    public void An_include_of_a_missing_partial_however_written_fails_at_compile_naming_the_partial_and_the_known_ones(string body, string partial, int column)
    {
        // Found by fuzzing: these spellings escaped the compile check, which read includes with a regular expression, and
        // failed only at render. The check now reads them from the parsed template.
        var options = new PromptTemplateOptions();
        options.Partials["greeting"] = "Hello.";

        PromptException error = Assert.Throws<PromptException>(() => PromptTemplate.Parse("---\nname: hostile\n---\nuser:\nHi.\n" + body + "\n", "hostile.prompty", options));

        Assert.Contains($"Partial '{partial}' is not defined. Known partials: greeting.", error.Message, StringComparison.Ordinal);
        Assert.Equal(("hostile.prompty", 6, column), (error.File, error.Line, error.Column));
    }

    [Fact]
    public void An_include_whose_name_is_computed_fails_at_render_naming_the_partial_and_the_known_ones()
    {
        var options = new PromptTemplateOptions();
        options.Partials["greeting"] = "Hello.";
        PromptTemplate template = PromptTemplate.Parse("---\nname: hostile\ninputs:\n  which: {type: string}\n---\nuser:\n{% include which %}\n", "hostile.prompty", options);

        PromptException error = Assert.Throws<PromptException>(() => template.Render(new Dictionary<string, object?> { ["which"] = "tone" }));

        Assert.Contains("includes the partial 'tone', which does not exist; the known ones are 'greeting'", error.Message, StringComparison.Ordinal);
        Assert.Equal("hostile.prompty", error.File);
        Assert.IsType<FileNotFoundException>(error.InnerException);
    }

    [Fact]
    public void A_filter_given_one_named_argument_twice_fails_as_a_render_error()
    {
        PromptException error = RenderFails("{{ 'abc' | truncate: a: 1, a: 2 }}");

        Assert.Contains("The 'user' section failed to render", error.Message, StringComparison.Ordinal);
        Assert.IsType<ArgumentException>(error.InnerException);
    }

    [Theory]
    [InlineData("{{ (-13333333333333..3) }}", "A range bound of -13333333333333 is not a 32-bit whole number.")]
    [InlineData("{% for i in (1..3000000000) %}{{ i }}{% endfor %}", "A range bound of 3000000000 is not a 32-bit whole number.")]
    [InlineData("{{ \"22\" <= (-222222221..3) }}", "The range (-222222221..3) has 222222225 items, more than the 100000 steps a render may take.")]
    public void A_range_with_a_bound_past_int32_or_more_items_than_steps_fails_before_its_array_is_built(string body, string expected)
    {
        PromptException error = RenderFails(body);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_range_inside_a_partial_is_bounded_too()
    {
        var options = new PromptTemplateOptions();
        options.Partials["many"] = "{% for i in (1..200000000) %}{{ i }}{% endfor %}";

        PromptException error = RenderFails("{% include 'many' %}", options);

        Assert.Contains("The range (1..200000000) has 200000000 items, more than the 100000 steps a render may take.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ranges_within_the_limits_render_as_before_and_the_limit_follows_max_steps()
    {
        PromptTemplate template = PromptTemplate.Parse(
            "---\nname: r\ninputs:\n  n:\n    type: integer\n---\nuser:\n{% for i in (1..n) %}{{ i }} {% endfor %}|{% for i in (3..1) %}x{% endfor %}|{{ (1..3) | join: ',' }}\n",
            "r.prompty",
            new PromptTemplateOptions { MaxSteps = 1_000 });

        Assert.Equal("1 2 3 4 5 ||1,2,3", template.Render(new Dictionary<string, object?> { ["n"] = 5 }).Messages[0].Text);
        Assert.Contains("has 1001 items, more than the 1000 steps", Assert.Throws<PromptException>(() => template.Render(new Dictionary<string, object?> { ["n"] = 1_001 })).Message, StringComparison.Ordinal);
    }
}
