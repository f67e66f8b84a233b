using Microsoft.Extensions.AI;

namespace AiEng.Testing.Tests;

public sealed class TestEmbeddingGeneratorTests
{
    [Fact]
    public async Task Invokes_the_callback_with_the_values_and_options()
    {
        IEnumerable<string>? seen = null;
        EmbeddingGenerationOptions? seenOptions = null;
        using var generator = new TestEmbeddingGenerator
        {
            GenerateAsyncCallback = (values, options, _) =>
            {
                seen = values;
                seenOptions = options;
                return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(_ => new Embedding<float>(new float[] { 1, 2 }))));
            },
        };
        var options = new EmbeddingGenerationOptions { Dimensions = 2 };

        var embeddings = await generator.GenerateAsync(["a", "b"], options);

        Assert.Equal(2, embeddings.Count);
        Assert.Equal(["a", "b"], seen!);
        Assert.Same(options, seenOptions);
        Assert.Equal(1, generator.CallCount);
    }

    [Fact]
    public async Task Throws_when_no_callback_is_set()
    {
        using var generator = new TestEmbeddingGenerator();

        await Assert.ThrowsAsync<InvalidOperationException>(() => generator.GenerateAsync(["a"]));
        Assert.Equal(1, generator.CallCount);
    }

    [Fact]
    public async Task Maps_each_value_with_the_function_given_to_FromFunction()
    {
        using var generator = TestEmbeddingGenerator.FromFunction(text => [text.Length]);

        var embeddings = await generator.GenerateAsync(["ab", "abcd"]);
        await generator.GenerateAsync(["x"]);

        Assert.Equal([2f], embeddings[0].Vector.ToArray());
        Assert.Equal([4f], embeddings[1].Vector.ToArray());
        Assert.Equal(2, generator.CallCount);
    }

    [Fact]
    public void Returns_its_metadata_and_itself_as_services()
    {
        using var generator = new TestEmbeddingGenerator();

        Assert.Same(generator.Metadata, generator.GetService<EmbeddingGeneratorMetadata>());
        Assert.Same(generator, generator.GetService<TestEmbeddingGenerator>());
    }
}
