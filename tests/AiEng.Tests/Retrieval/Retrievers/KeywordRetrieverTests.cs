using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval.Retrievers;

public class KeywordRetrieverTests
{
    private static ChunkRecord[] Records() =>
    [
        Chunks.Record("manual", 0, "Press the power button for three seconds to reset the router.", title: "Router manual"),
        Chunks.Record("manual", 1, "The warranty covers hardware faults for two years.", title: "Router manual"),
        Chunks.Record("faq", 0, "Resetting erases your Wi-Fi password.", title: "Questions"),
    ];

    [Fact]
    public async Task Ranks_records_by_bm25_and_returns_the_stored_records()
    {
        var records = Records();
        var retriever = new KeywordRetriever(records);

        var chunks = await retriever.RetrieveAsync("how long is the warranty", 5);

        Assert.Equal(["manual#1"], chunks.Keys());
        Assert.Same(records[1], chunks[0].Chunk);
        Assert.True(chunks[0].Score > 0);
        Assert.Equal(3, retriever.Count);
    }

    [Fact]
    public async Task Passes_every_bm25_option_to_the_index_including_the_length_encoding()
    {
        ChunkRecord[] records =
        [
            Chunks.Record("a", 0, "router reset guide with many more words than the other short record has in it today"),
            Chunks.Record("b", 0, "router reset"),
            Chunks.Record("c", 0, "warranty terms and conditions for hardware"),
        ];
        var lucene = new KeywordRetriever(records, new KeywordRetrieverOptions { Bm25 = new Bm25Options { LuceneLengthEncoding = true } });
        var exact = new KeywordRetriever(records, new KeywordRetrieverOptions { Bm25 = new Bm25Options { LuceneLengthEncoding = false } });

        var withEncoding = await lucene.RetrieveAsync("router reset", 2);
        var withoutEncoding = await exact.RetrieveAsync("router reset", 2);

        // Lucene's one-byte length encoding rounds document lengths, so the scores differ when it is off.
        Assert.Equal(withEncoding.Keys(), withoutEncoding.Keys());
        Assert.NotEqual(withEncoding[0].Score, withoutEncoding[0].Score, 6);
    }

    [Fact]
    public async Task Indexes_the_title_with_the_text_unless_turned_off()
    {
        var withTitles = new KeywordRetriever(Records());
        var withoutTitles = new KeywordRetriever(Records(), new KeywordRetrieverOptions { IndexTitle = false });

        Assert.Equal(["manual#0", "manual#1"], (await withTitles.RetrieveAsync("router", 5)).Keys().Order());
        Assert.Equal(["manual#0"], (await withoutTitles.RetrieveAsync("router", 5)).Keys());
    }

    [Fact]
    public async Task Loads_every_record_from_a_collection_and_refreshes_after_it_changes()
    {
        var collection = new FakeChunkCollection(Records());
        var retriever = await KeywordRetriever.LoadAsync(collection);
        Assert.Equal(3, retriever.Count);
        Assert.Empty(await retriever.RetrieveAsync("firmware", 5));

        collection.Add(Chunks.Record("notes", 0, "Firmware 2.1 fixes the reset bug."));
        await retriever.RefreshAsync();

        Assert.Equal(["notes#0"], (await retriever.RetrieveAsync("firmware", 5)).Keys());
        Assert.Equal(KeywordRetrieverOptions.DefaultMaxRecords, collection.LastGetTop);
    }

    [Fact]
    public async Task Refuses_to_index_part_of_a_collection_larger_than_the_limit()
    {
        var collection = new FakeChunkCollection(Records());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => KeywordRetriever.LoadAsync(collection, new KeywordRetrieverOptions { MaxRecords = 3 }));

        Assert.Contains("MaxRecords", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rebuilds_from_new_records_and_only_refreshes_when_loaded_from_a_collection()
    {
        var retriever = new KeywordRetriever(Records());

        retriever.Rebuild([Chunks.Record("other", 0, "Warranty claims need the receipt.")]);

        Assert.Equal(["other#0"], (await retriever.RetrieveAsync("warranty", 5)).Keys());
        await Assert.ThrowsAsync<InvalidOperationException>(() => retriever.RefreshAsync());
    }

    [Fact]
    public void Rejects_duplicate_or_empty_keys_and_bad_options()
    {
        var duplicate = Assert.Throws<ArgumentException>("records", () => new KeywordRetriever([.. Records(), Records()[0]]));
        Assert.Contains("chunk 0 of document 'manual'", duplicate.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("records", () => new KeywordRetriever([new ChunkRecord { Text = "x" }]));
        Assert.Throws<ArgumentException>("options", () => new KeywordRetriever([], new KeywordRetrieverOptions { MaxRecords = 0 }));
        Assert.Throws<ArgumentException>("options", () => new KeywordRetriever([], new KeywordRetrieverOptions { Bm25 = new Bm25Options { B = 2 } }));
    }

    [Fact]
    public async Task Applies_upserts_and_deletes_without_a_rebuild()
    {
        var retriever = new KeywordRetriever(Records());

        retriever.Apply([Chunks.Record("manual", 1, "Warranty claims need the receipt."), Chunks.Record("new", 0, "An extended warranty costs extra.")], [Records()[2].Key]);

        Assert.Equal(3, retriever.Count);
        Assert.Empty(await retriever.RetrieveAsync("password", 5));
        var warranty = await retriever.RetrieveAsync("warranty receipt", 5);
        Assert.Equal(["manual#1", "new#0"], warranty.Keys());
        Assert.Throws<ArgumentException>("upsertedRecords", () => retriever.Apply([new ChunkRecord { Text = "x" }], []));
    }

    [Fact]
    public async Task Refreshes_only_the_changed_keys_from_its_collection()
    {
        var records = Records();
        var collection = new FakeChunkCollection(records);
        var retriever = await KeywordRetriever.LoadAsync(collection);
        await collection.DeleteAsync(records[2].Key);
        var added = Chunks.Record("new", 0, "Resetting twice restores the factory password.");
        await collection.UpsertAsync(added);

        await retriever.RefreshKeysAsync([records[2].Key, added.Key]);

        Assert.Equal(["new#0"], (await retriever.RetrieveAsync("password", 5)).Keys());
        Assert.Equal(3, retriever.Count);
        await Assert.ThrowsAsync<InvalidOperationException>(() => new KeywordRetriever(records).RefreshKeysAsync([added.Key]));
    }
}
