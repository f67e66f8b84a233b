using Microsoft.Extensions.AI;

namespace AiEng.Testing;

/// <summary>
/// An <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> for strings whose behaviour is set by a callback, for unit
/// tests of code that embeds text. Calls without a callback throw <see cref="InvalidOperationException"/>.
/// </summary>
public sealed class TestEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private int _callCount;

    /// <summary>Gets or sets the callback that answers <see cref="GenerateAsync"/>.</summary>
    public Func<IEnumerable<string>, EmbeddingGenerationOptions?, CancellationToken, Task<GeneratedEmbeddings<Embedding<float>>>>? GenerateAsyncCallback { get; set; }

    /// <summary>Gets or sets the callback that answers <see cref="GetService"/>; by default the generator returns itself for its own type.</summary>
    public Func<Type, object?, object?>? GetServiceCallback { get; set; }

    /// <summary>Gets or sets the metadata returned for <see cref="EmbeddingGeneratorMetadata"/>.</summary>
    public EmbeddingGeneratorMetadata Metadata { get; set; } = new("test", null, "test-embeddings");

    /// <summary>Gets the number of calls made so far.</summary>
    public int CallCount => Volatile.Read(ref _callCount);

    /// <summary>
    /// Creates a generator that maps each text to a vector with <paramref name="embed"/>, for example a bag of words,
    /// so that tests can reason about similarities.
    /// </summary>
    /// <param name="embed">Computes one vector from one text.</param>
    /// <returns>The generator.</returns>
    public static TestEmbeddingGenerator FromFunction(Func<string, float[]> embed)
    {
        ArgumentNullException.ThrowIfNull(embed);
        return new()
        {
            GenerateAsyncCallback = (values, _, cancellationToken) =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                var embeddings = new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(embed(v)) { ModelId = "test-embeddings" }));
                return Task.FromResult(embeddings);
            },
        };
    }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _callCount);
        var callback = GenerateAsyncCallback ?? throw new InvalidOperationException($"{nameof(TestEmbeddingGenerator)}.{nameof(GenerateAsyncCallback)} is not set.");
        return callback(values, options, cancellationToken);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
        => FakeServices.Resolve(this, Metadata, GetServiceCallback, serviceType, serviceKey);

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
