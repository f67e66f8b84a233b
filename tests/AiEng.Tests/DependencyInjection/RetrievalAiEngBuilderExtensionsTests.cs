using AiEng.Retrieval;
using AiEng.Testing;
using AiEng.Tests.TestSupport;
using AiEng.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.VectorData;

namespace AiEng.Tests.DependencyInjection;

public sealed class RetrievalAiEngBuilderExtensionsTests
{
    private static readonly Document Animals = new("animals.md", "The kitten sleeps on the warm mat.");
    private static readonly Document Finance = new("finance.md", "Quarterly revenue grew in Europe.");

    [Fact]
    public async Task Hybrid_retrieval_is_the_default_and_fuses_keyword_and_dense_rankings()
    {
        using ServiceProvider services = Build();
        StartupValidation.Validate(services);

        await IngestAsync(services);
        IRetriever retriever = services.GetRequiredService<IRetriever>();

        // Both rankings put the kitten first: min-max normalised, it scores 1 in each, and the weights 0.5 and 0.5 sum them to 1.
        var kitten = await retriever.RetrieveAsync("kitten", 2);
        Assert.Equal("animals.md", kitten[0].Chunk.DocumentId);
        Assert.Equal(1.0, kitten[0].Score, 6);

        // Only the dense ranking knows that a feline is a kitten; the keyword ranking knows nothing of it.
        var feline = await retriever.RetrieveAsync("feline", 2);
        Assert.Equal("animals.md", feline[0].Chunk.DocumentId);
        Assert.Equal(0.5, feline[0].Score, 6);
    }

    [Fact]
    public async Task The_fusion_of_the_hybrid_retriever_is_configured_by_Fusion_FusionDepth_and_DenseWeight()
    {
        using ServiceProvider byRank = Build(("AiEng:Retrieval:Fusion", "ReciprocalRank"));
        using ServiceProvider denseOnly = Build(("AiEng:Retrieval:DenseWeight", "1"));
        await IngestAsync(byRank);
        await IngestAsync(denseOnly);

        // Reciprocal rank: the kitten is first in both rankings, 1/61 + 1/61.
        var kitten = await byRank.GetRequiredService<IRetriever>().RetrieveAsync("kitten", 2);
        Assert.Equal(2.0 / 61, kitten[0].Score, 6);

        // All the weight on the dense side: the kitten's fused score is its normalised dense score alone, 1.
        var weighted = await denseOnly.GetRequiredService<IRetriever>().RetrieveAsync("kitten", 2);
        Assert.Equal("animals.md", weighted[0].Chunk.DocumentId);
        Assert.Equal(1.0, weighted[0].Score, 6);
    }

    [Theory]
    [InlineData("Hybrid")]
    [InlineData("Dense")]
    [InlineData("Keyword")]
    public async Task Filterable_fields_from_configuration_tag_the_ingested_chunks_and_filter_the_registered_retriever(string kind)
    {
        using ServiceProvider services = Build(
            ("AiEng:Retrieval:Retriever", kind), ("AiEng:Retrieval:FilterableFields:0", "tenant"), ("AiEng:Retrieval:FilterableFields:1", "lang"));
        var cats = new Document("cats.md", "The kitten sleeps on the warm mat.") { Metadata = new Dictionary<string, string> { ["tenant"] = "a", ["lang"] = "en" } };
        var kittens = new Document("kittens.md", "A kitten and a cat sleep on the mat.") { Metadata = new Dictionary<string, string> { ["tenant"] = "b", ["lang"] = "en" } };
        await services.GetRequiredService<DocumentIngestor>().IngestAsync(Stream(cats, kittens));
        IRetriever retriever = services.GetRequiredService<IRetriever>();

        var all = await retriever.RetrieveAsync(new RetrievalRequest("kitten mat") { Top = 5 });
        var onlyB = await retriever.RetrieveAsync(new RetrievalRequest("kitten mat") { Top = 5 }.Where("tenant", "b").Where("lang", "en"));
        var error = await Assert.ThrowsAsync<ArgumentException>(() => retriever.RetrieveAsync(new RetrievalRequest("kitten").Where("format", "md")));

        Assert.Equal(["cats.md", "kittens.md"], all.Select(c => c.Chunk.DocumentId).Order(StringComparer.Ordinal));
        Assert.Equal("kittens.md", Assert.Single(onlyB).Chunk.DocumentId);
        Assert.Equal(["tenant=b", "lang=en"], onlyB[0].Chunk.Tags);
        Assert.Contains("'format'", error.Message, StringComparison.Ordinal);
        Assert.Contains("declared: tenant, lang", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dense_retrieval_finds_a_paraphrase_by_its_embedding()
    {
        using ServiceProvider services = Build(("AiEng:Retrieval:Retriever", "dense"));
        await IngestAsync(services);
        IRetriever retriever = services.GetRequiredService<IRetriever>();

        var feline = await retriever.RetrieveAsync("feline", 2);
        var profit = await retriever.RetrieveAsync("profit", 1);

        Assert.Equal(["animals.md", "finance.md"], feline.Select(chunk => chunk.Chunk.DocumentId));
        Assert.Equal(1.0, feline[0].Score, 3);
        Assert.Equal("finance.md", Assert.Single(profit).Chunk.DocumentId);
    }

    [Fact]
    public async Task Keyword_retrieval_matches_words_and_embeds_no_query()
    {
        var generator = ConceptGenerator();
        using ServiceProvider services = Build(generator, ("AiEng:Retrieval:Retriever", "Keyword"));
        await IngestAsync(services);
        IRetriever retriever = services.GetRequiredService<IRetriever>();
        int calls = generator.CallCount;

        var europe = await retriever.RetrieveAsync("Europe", 5);
        var feline = await retriever.RetrieveAsync("feline", 5);

        Assert.Equal("finance.md", Assert.Single(europe).Chunk.DocumentId);
        Assert.Empty(feline);
        Assert.Equal(calls, generator.CallCount);
    }

    [Fact]
    public async Task Documents_ingested_after_a_retrieval_are_found_by_the_next_one()
    {
        using ServiceProvider services = Build(("AiEng:Retrieval:Retriever", "Keyword"));
        IRetriever retriever = services.GetRequiredService<IRetriever>();

        // The collection does not exist yet: the retriever creates it and finds nothing.
        Assert.Empty(await retriever.RetrieveAsync("revenue", 5));

        await services.GetRequiredService<DocumentIngestor>().IngestAsync(Stream(Finance));
        Assert.Equal("finance.md", Assert.Single(await retriever.RetrieveAsync("revenue", 5)).Chunk.DocumentId);

        await services.GetRequiredService<DocumentIngestor>().IngestAsync(Stream(Animals), new IngestionOptions { DeleteMissing = true });
        Assert.Empty(await retriever.RetrieveAsync("revenue", 5));
        Assert.Equal("animals.md", Assert.Single(await retriever.RetrieveAsync("kitten", 5)).Chunk.DocumentId);
    }

    [Fact]
    public async Task Writes_through_the_registered_collection_reach_the_keyword_index()
    {
        using ServiceProvider services = Build(("AiEng:Retrieval:Retriever", "Keyword"));
        await IngestAsync(services);
        IRetriever retriever = services.GetRequiredService<IRetriever>();
        Assert.Single(await retriever.RetrieveAsync("revenue", 5));

        var collection = services.GetRequiredService<VectorStoreCollection<Guid, ChunkRecord>>();
        await collection.DeleteAsync(ChunkRecord.CreateKey("finance.md", 0));

        Assert.Empty(await retriever.RetrieveAsync("revenue", 5));
    }

    [Fact]
    public async Task Stores_the_chunks_in_the_configured_collection_of_an_in_memory_store_by_default()
    {
        using ServiceProvider services = Build(("AiEng:Retrieval:Collection", "docs"));
        await IngestAsync(services);

        VectorStore store = services.GetRequiredService<VectorStore>();
        Assert.IsType<InMemoryVectorStore>(store);
        Assert.Equal(["docs"], await store.ListCollectionNamesAsync().ToListAsync());
        Assert.Equal("docs", services.GetRequiredService<VectorStoreCollection<Guid, ChunkRecord>>().Name);
        var stored = await store.GetCollection<Guid, ChunkRecord>("docs", ChunkRecord.CreateDefinition(3)).GetAsync(ChunkRecord.CreateKey("animals.md", 0));
        Assert.Equal(Animals.Text, stored?.Text);
    }

    [Fact]
    public async Task A_vector_store_registered_by_the_application_is_used_whatever_the_order()
    {
        using var before = new InMemoryVectorStore();
        using var after = new InMemoryVectorStore();
        using ServiceProvider first = Build(ConceptGenerator(), [], more: services => services.AddSingleton<VectorStore>(before), registerFirst: true);
        using ServiceProvider last = Build(ConceptGenerator(), [], more: services => services.AddSingleton<VectorStore>(after));

        await IngestAsync(first);
        await IngestAsync(last);

        Assert.Equal(["chunks"], await before.ListCollectionNamesAsync().ToListAsync());
        Assert.Equal(["chunks"], await after.ListCollectionNamesAsync().ToListAsync());
    }

    [Fact]
    public void Services_registered_by_the_application_win_over_the_defaults()
    {
        var retriever = new KeywordRetriever([]);
        var chunker = new RecursiveTextChunker(new WordTokenCounter());
        using ServiceProvider services = Build(
            ConceptGenerator(), [], more: s => s.AddSingleton<IRetriever>(retriever).AddSingleton<IChunker>(chunker), registerFirst: true);

        Assert.Same(retriever, services.GetRequiredService<IRetriever>());
        Assert.Same(chunker, services.GetRequiredService<IChunker>());
        Assert.NotNull(services.GetRequiredService<DocumentIngestor>());
    }

    [Fact]
    public async Task Chunks_with_the_configured_size_and_the_registered_token_counter()
    {
        using ServiceProvider services = Build(("AiEng:Retrieval:ChunkSize", "4"), ("AiEng:Retrieval:ChunkOverlap", "0"));

        // Seven words (WordTokenCounter) in chunks of at most four.
        IngestionResult result = await services.GetRequiredService<DocumentIngestor>().IngestAsync(Stream(Animals));

        Assert.Equal(2, result.Chunks);
    }

    [Fact]
    public void Chunks_within_the_embedding_models_document_window_in_its_own_tokens_when_its_generator_offers_them()
    {
        // The model reads 8 of its tokens (two per word) and puts a prefix of 2 before documents: 6 tokens (below the default
        // 200), so 3 words a chunk.
        using ServiceProvider model = Build(WindowGenerator(new EmbeddingTokenWindow(new DoubledWordCounter(), 8, documentPrefixTokens: 2)), ("AiEng:Retrieval:ChunkOverlap", "0"));
        using ServiceProvider other = Build(("AiEng:Retrieval:ChunkOverlap", "0"));

        Assert.Equal([3, 3, 1], WordsPerChunk(model.GetRequiredService<IChunker>()));

        // A model whose tokenizer is not known: the registered counter (words here) and the default size, 200.
        Assert.Equal([7], WordsPerChunk(other.GetRequiredService<IChunker>()));
    }

    [Fact]
    public void Chunks_to_the_default_200_of_the_models_tokens_when_its_window_is_larger()
    {
        using ServiceProvider services = Build(WindowGenerator(new EmbeddingTokenWindow(new DoubledWordCounter(), 1000)), ("AiEng:Retrieval:ChunkOverlap", "0"));
        var document = new Document("d", string.Join(' ', Enumerable.Range(0, 250).Select(i => $"w{i}")));

        // 200 doubled-word tokens: 100 words a chunk.
        Assert.Equal([100, 100, 50], services.GetRequiredService<IChunker>().Chunk(document).Select(chunk => new WordTokenCounter().CountTokens(chunk.Text)));
    }

    [Fact]
    public void Counts_a_configured_chunk_size_in_the_embedding_models_tokens()
    {
        using ServiceProvider services = Build(
            WindowGenerator(new EmbeddingTokenWindow(new DoubledWordCounter(), 8)), ("AiEng:Retrieval:ChunkSize", "4"), ("AiEng:Retrieval:ChunkOverlap", "0"));

        Assert.Equal([2, 2, 2, 1], WordsPerChunk(services.GetRequiredService<IChunker>()));
    }

    [Fact]
    public void Warns_when_the_configured_chunk_size_exceeds_the_embedding_models_window_and_uses_it()
    {
        using ServiceProvider services = Build(
            WindowGenerator(new EmbeddingTokenWindow(new DoubledWordCounter(), 8, documentPrefixTokens: 2)),
            [("AiEng:Retrieval:ChunkSize", "10"), ("AiEng:Retrieval:ChunkOverlap", "0")],
            more: collection => collection.AddLogging(logging => logging.AddFakeLogging()));

        Assert.Equal([5, 2], WordsPerChunk(services.GetRequiredService<IChunker>()));
        var warning = Assert.Single(services.GetFakeLogCollector().GetSnapshot(), record => record.Level == LogLevel.Warning);
        Assert.Equal(
            "AiEng:Retrieval:ChunkSize is 10 but embedding model concepts reads 6 doubled-words tokens of a document: longer chunks are cut before they are embedded. Set it to 6 or less, or leave it unset.",
            warning.Message);
    }

    [Fact]
    public void Reports_an_overlap_not_below_the_models_window_when_the_chunk_size_is_unset()
    {
        using ServiceProvider services = Build(WindowGenerator(new EmbeddingTokenWindow(new DoubledWordCounter(), 8, documentPrefixTokens: 2)));

        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IChunker>());

        Assert.Equal(
            "AiEng:Retrieval:ChunkOverlap is 32 but must be less than the chunk size, 6 doubled-words tokens (AiEng:Retrieval:ChunkSize is not set: 200, or the embedding model's window for a document when smaller), for example 0 (environment variable AiEng__Retrieval__ChunkOverlap=0).",
            error.Message);
    }

    [Fact]
    public async Task Options_set_in_code_override_configuration()
    {
        using ServiceProvider services = Build(
            ConceptGenerator(), [("AiEng:Retrieval:Retriever", "Dense"), ("AiEng:Retrieval:Collection", "docs")], configure: options => options.Retriever = RetrieverKind.Keyword);
        await IngestAsync(services);

        Assert.Empty(await services.GetRequiredService<IRetriever>().RetrieveAsync("feline", 5));
        Assert.Equal("docs", services.GetRequiredService<VectorStoreCollection<Guid, ChunkRecord>>().Name);
    }

    [Fact]
    public void Takes_the_dimensions_from_the_option_when_the_model_does_not_report_them()
    {
        var generator = ConceptGenerator();
        generator.Metadata = new EmbeddingGeneratorMetadata("test", null, "concepts");
        using ServiceProvider unknown = Build(generator);
        using ServiceProvider configured = Build(generator, ("AiEng:Retrieval:Dimensions", "3"));

        var error = Assert.Throws<InvalidOperationException>(() => unknown.GetRequiredService<DocumentIngestor>());
        Assert.Contains("set AiEng:Retrieval:Dimensions", error.Message, StringComparison.Ordinal);
        Assert.NotNull(configured.GetRequiredService<DocumentIngestor>());
    }

    [Theory]
    [InlineData("Retriever", "Sparse", "AiEng:Retrieval:Retriever is 'Sparse', which is not one of Hybrid, Dense, Keyword, for example Hybrid (environment variable AiEng__Retrieval__Retriever=Hybrid).")]
    [InlineData("Retriever", "7", "AiEng:Retrieval:Retriever is 7 but must be a retriever: Hybrid, Dense, Keyword, for example Hybrid (environment variable AiEng__Retrieval__Retriever=Hybrid).")]
    [InlineData("ChunkSize", "0", "AiEng:Retrieval:ChunkSize is 0 but must be at least 1 token, for example 200 (environment variable AiEng__Retrieval__ChunkSize=200).")]
    [InlineData("ChunkSize", "big", "AiEng:Retrieval:ChunkSize is 'big', which is not a whole number, for example 200 (environment variable AiEng__Retrieval__ChunkSize=200).")]
    [InlineData("ChunkOverlap", "-1", "AiEng:Retrieval:ChunkOverlap is -1 but must be at least 0, for example 32 (environment variable AiEng__Retrieval__ChunkOverlap=32).")]
    [InlineData("Collection", " ", "AiEng:Retrieval:Collection is ' ' but must not be empty: set it to the name of the vector store collection, for example chunks (environment variable AiEng__Retrieval__Collection=chunks).")]
    [InlineData("Dimensions", "0", "AiEng:Retrieval:Dimensions is 0 but must be at least 1 when set (leave it unset to take the embedding model's), for example 384 (environment variable AiEng__Retrieval__Dimensions=384).")]
    [InlineData("DenseWeight", "1.5", "AiEng:Retrieval:DenseWeight is 1.5 but must be between 0 and 1, for example 0.5 (environment variable AiEng__Retrieval__DenseWeight=0.5).")]
    [InlineData("FilterableFields:0", "tenant=a", "AiEng:Retrieval:FilterableFields:0 is 'tenant=a' but must be a metadata key that is not empty and has no '=', for example tenant (environment variable AiEng__Retrieval__FilterableFields__0=tenant).")]
    [InlineData("FilterableFields:0", " ", "AiEng:Retrieval:FilterableFields:0 is ' ' but must be a metadata key that is not empty and has no '=', for example tenant (environment variable AiEng__Retrieval__FilterableFields__0=tenant).")]
    [InlineData("FusionDepth", "0", "AiEng:Retrieval:FusionDepth is 0 but must be at least 1 chunk, for example 200 (environment variable AiEng__Retrieval__FusionDepth=200).")]
    public void An_invalid_option_fails_start_up_naming_the_key(string key, string value, string message)
    {
        using ServiceProvider services = Build(("AiEng:Retrieval:" + key, value));

        var error = Assert.Throws<OptionsValidationException>(() => StartupValidation.Validate(services));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_overlap_not_below_a_configured_chunk_size_fails_start_up_naming_both_keys()
    {
        using ServiceProvider services = Build(("AiEng:Retrieval:ChunkSize", "200"), ("AiEng:Retrieval:ChunkOverlap", "200"));

        var error = Assert.Throws<OptionsValidationException>(() => StartupValidation.Validate(services));

        Assert.Contains(
            "AiEng:Retrieval:ChunkOverlap is 200 but must be less than AiEng:Retrieval:ChunkSize (200), for example 25 (environment variable AiEng__Retrieval__ChunkOverlap=25).",
            error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void An_overlap_not_below_the_default_chunk_size_fails_when_the_chunker_is_created_naming_the_key()
    {
        // With ChunkSize unset the size is the embedding model's, known only once the model is loaded; this one's tokenizer is
        // not known, so the size is the default 200 of the registered counter.
        using ServiceProvider services = Build(("AiEng:Retrieval:ChunkOverlap", "200"));
        StartupValidation.Validate(services);

        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IChunker>());

        Assert.Equal(
            "AiEng:Retrieval:ChunkOverlap is 200 but must be less than the chunk size, 200 words tokens (AiEng:Retrieval:ChunkSize is not set: 200, or the embedding model's window for a document when smaller), for example 25 (environment variable AiEng__Retrieval__ChunkOverlap=25).",
            error.Message);
    }

    [Fact]
    public void Every_invalid_option_is_reported_also_those_after_a_value_the_binder_cannot_convert()
    {
        using ServiceProvider services = Build(("AiEng:Retrieval:Retriever", "Sparse"), ("AiEng:Retrieval:ChunkSize", "big"), ("AiEng:Retrieval:Dimensions", "0"));

        var error = Assert.Throws<OptionsValidationException>(() => StartupValidation.Validate(services));

        Assert.Equal(
            [
                "AiEng:Retrieval:ChunkSize is 'big', which is not a whole number, for example 200 (environment variable AiEng__Retrieval__ChunkSize=200).",
                "AiEng:Retrieval:Retriever is 'Sparse', which is not one of Hybrid, Dense, Keyword, for example Hybrid (environment variable AiEng__Retrieval__Retriever=Hybrid).",
                "AiEng:Retrieval:Dimensions is 0 but must be at least 1 when set (leave it unset to take the embedding model's), for example 384 (environment variable AiEng__Retrieval__Dimensions=384).",
            ],
            error.Failures);
    }

    [Fact]
    public void An_invalid_option_set_in_code_fails_start_up_naming_the_key()
    {
        using ServiceProvider services = Build(ConceptGenerator(), [], configure: options => (options.ChunkSize, options.ChunkOverlap) = (200, 600));

        var error = Assert.Throws<OptionsValidationException>(() => StartupValidation.Validate(services));

        Assert.Contains("AiEng:Retrieval:ChunkOverlap is 600", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_container_disposes_the_default_store()
    {
        VectorStore store;
        using (ServiceProvider services = Build())
        {
            await IngestAsync(services);
            store = services.GetRequiredService<VectorStore>();
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.CollectionExistsAsync("chunks"));
    }

    [Fact]
    public void Checks_its_arguments_when_added()
    {
        AiEngBuilder builder = new ServiceCollection().AddAiEng(TestServices.Configuration());
        Assert.Throws<ArgumentNullException>(() => RetrievalAiEngBuilderExtensions.AddRetrieval(null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddRetrieval((Action<RetrievalServiceOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddRetrieval((string)null!));
        Assert.Throws<ArgumentException>(() => builder.AddRetrieval(" "));
        Assert.Throws<ArgumentNullException>(() => builder.AddRetrieval("support", null!));
    }

    [Fact]
    public async Task Named_corpora_have_their_own_collection_ingestor_and_retriever_beside_the_default()
    {
        using ServiceProvider services = Build(ConceptGenerator(), [], more: collection => collection.AddAiEng(TestServices.Configuration()).AddRetrieval("support"));

        await IngestAsync(services);
        var support = services.GetRequiredKeyedService<DocumentIngestor>("support");
        var manual = new Document("manual.md", "Hold the reset button of the router for ten seconds.");
        await support.IngestAsync(Stream(manual));

        var fromDefault = await services.GetRequiredService<IRetriever>().RetrieveAsync("router reset button", 5);
        var fromSupport = await services.GetRequiredKeyedService<IRetriever>("support").RetrieveAsync("router reset button", 5);
        var kittenFromSupport = await services.GetRequiredKeyedService<IRetriever>("support").RetrieveAsync("kitten", 5);

        Assert.DoesNotContain(fromDefault, chunk => chunk.Chunk.DocumentId == "manual.md");
        Assert.Equal("manual.md", fromSupport[0].Chunk.DocumentId);
        Assert.All(kittenFromSupport, chunk => Assert.Equal("manual.md", chunk.Chunk.DocumentId));
        Assert.Equal("chunks", services.GetRequiredService<VectorStoreCollection<Guid, ChunkRecord>>().Name);
        Assert.Equal("support", services.GetRequiredKeyedService<VectorStoreCollection<Guid, ChunkRecord>>("support").Name);
        Assert.NotSame(services.GetRequiredService<IRetriever>(), services.GetRequiredKeyedService<IRetriever>("support"));
    }

    [Fact]
    public async Task A_named_corpus_binds_its_own_section_and_uses_the_store_registered_under_its_name()
    {
        using var supportStore = new InMemoryVectorStore();
        using ServiceProvider services = Build(
            ConceptGenerator(),
            [("AiEng:Retrieval:Corpora:support:Retriever", "Keyword"), ("AiEng:Retrieval:Corpora:support:Collection", "kb")],
            more: collection =>
            {
                collection.AddKeyedSingleton<VectorStore>("support", supportStore);
                collection.AddAiEng(TestServices.Configuration()).AddRetrieval("support", options => options.ChunkSize = 64);
            });
        StartupValidation.Validate(services);

        var options = services.GetRequiredService<IOptionsMonitor<RetrievalServiceOptions>>();
        await services.GetRequiredKeyedService<DocumentIngestor>("support").IngestAsync(Stream(Finance));

        Assert.Equal(RetrieverKind.Keyword, options.Get("support").Retriever);
        Assert.Equal("kb", options.Get("support").Collection);
        Assert.Equal(64, options.Get("support").ChunkSize);
        Assert.Equal(RetrieverKind.Hybrid, options.CurrentValue.Retriever);
        Assert.True(await supportStore.CollectionExistsAsync("kb"));
        Assert.False(await services.GetRequiredService<VectorStore>().CollectionExistsAsync("kb"));
    }

    [Fact]
    public void An_invalid_option_of_a_named_corpus_fails_start_up_naming_its_key()
    {
        using ServiceProvider services = Build(
            ConceptGenerator(),
            [("AiEng:Retrieval:Corpora:support:ChunkSize", "0"), ("AiEng:Retrieval:Corpora:support:Retriever", "Fuzzy")],
            more: collection => collection.AddAiEng(TestServices.Configuration()).AddRetrieval("support"));

        var error = Assert.Throws<OptionsValidationException>(() => StartupValidation.Validate(services));

        Assert.Contains(
            "AiEng:Retrieval:Corpora:support:ChunkSize is 0 but must be at least 1 token, for example 200 (environment variable AiEng__Retrieval__Corpora__support__ChunkSize=200).",
            error.Failures);
        Assert.Contains(
            "AiEng:Retrieval:Corpora:support:Retriever is 'Fuzzy', which is not one of Hybrid, Dense, Keyword, for example Hybrid (environment variable AiEng__Retrieval__Corpora__support__Retriever=Hybrid).",
            error.Failures);
    }

    /// <summary>Embeds texts by concept (animals, money, anything), so that a paraphrase is near its document while sharing no word with it.</summary>
    private static TestEmbeddingGenerator ConceptGenerator()
    {
        string[] animals = ["kitten", "feline", "cat"];
        string[] money = ["revenue", "profit", "sales"];
        var generator = TestEmbeddingGenerator.FromFunction(text =>
        {
            string lower = text.ToLowerInvariant();
            return [animals.Any(lower.Contains) ? 1f : 0f, money.Any(lower.Contains) ? 1f : 0f, 0.1f];
        });
        generator.Metadata = new EmbeddingGeneratorMetadata("test", null, "concepts", 3);
        return generator;
    }

    /// <summary>The concept generator, offering <paramref name="window"/> as its model's tokenizer and window.</summary>
    private static TestEmbeddingGenerator WindowGenerator(EmbeddingTokenWindow window)
    {
        var generator = ConceptGenerator();
        generator.GetServiceCallback = (type, key) =>
            key is not null ? null
            : type == typeof(EmbeddingTokenWindow) ? window
            : type == typeof(EmbeddingGeneratorMetadata) ? generator.Metadata
            : type.IsInstanceOfType(generator) ? generator
            : null;
        return generator;
    }

    /// <summary>The number of words of each chunk of a seven-word document without headings.</summary>
    private static int[] WordsPerChunk(IChunker chunker) =>
        [.. chunker.Chunk(new Document("d", "The kitten sleeps on the warm mat.")).Select(chunk => new WordTokenCounter().CountTokens(chunk.Text))];

    private static ServiceProvider Build(params (string Key, string? Value)[] configuration) => Build(ConceptGenerator(), configuration);

    private static ServiceProvider Build(
        TestEmbeddingGenerator generator,
        (string Key, string? Value)[] configuration,
        Action<RetrievalServiceOptions>? configure = null,
        Action<IServiceCollection>? more = null,
        bool registerFirst = false)
    {
        var services = new ServiceCollection();
        services.AddSingleton<AiEng.Tokens.ITokenCounter>(new WordTokenCounter());
        if (registerFirst)
        {
            more?.Invoke(services);
        }

        AiEngBuilder builder = services.AddAiEng(TestServices.Configuration(configuration)).UseEmbeddingGenerator(_ => generator);
        _ = configure is null ? builder.AddRetrieval() : builder.AddRetrieval(configure);
        if (!registerFirst)
        {
            more?.Invoke(services);
        }

        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static ServiceProvider Build(TestEmbeddingGenerator generator, params (string Key, string? Value)[] configuration) => Build(generator, configuration, configure: null);

    private static async Task IngestAsync(IServiceProvider services)
    {
        IngestionResult result = await services.GetRequiredService<DocumentIngestor>().IngestAsync(Stream(Animals, Finance));
        Assert.Equal(2, result.Added);
    }

    private static async IAsyncEnumerable<Document> Stream(params Document[] documents)
    {
        foreach (var document in documents)
        {
            yield return document;
        }

        await Task.CompletedTask;
    }

    /// <summary>A model tokenizer that reads every word as two tokens, unlike the registered word counter.</summary>
    private sealed class DoubledWordCounter : ITokenCounter
    {
        public string Name => "doubled-words";

        public int CountTokens(string text) => 2 * new WordTokenCounter().CountTokens(text);

        public IReadOnlyList<string> GetTokens(string text) => [.. new WordTokenCounter().GetTokens(text).SelectMany(word => new[] { word, word })];
    }
}
