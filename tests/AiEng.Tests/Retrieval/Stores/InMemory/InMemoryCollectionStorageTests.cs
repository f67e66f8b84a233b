using Microsoft.Extensions.VectorData;

namespace AiEng.Retrieval;

public sealed class InMemoryCollectionStorageTests
{
    private const int Dimensions = 16;

    [Theory]
    [InlineData(IndexKind.Flat)]
    [InlineData(IndexKind.QuantizedFlat)]
    [InlineData(IndexKind.Hnsw)]
    public async Task A_batched_upsert_answers_like_upserts_of_one_record_at_a_time(string indexKind)
    {
        // 400 vectors stay below the size where the graph starts inserting in parallel batches, so even its graph is equal.
        var records = Records(400, seed: 1);
        using var batchedStore = Store();
        using var singleStore = Store();
        var batched = await CollectionAsync(batchedStore, indexKind);
        var single = await CollectionAsync(singleStore, indexKind);

        await batched.UpsertAsync(records);
        foreach (var record in records)
        {
            await single.UpsertAsync(record);
        }

        foreach (var query in Vectors(30, seed: 2))
        {
            Assert.Equal(await HitsAsync(single, query, 10), await HitsAsync(batched, query, 10));
        }
    }

    [Fact]
    public async Task Batched_HNSW_upserts_build_the_same_graph_with_one_thread_and_with_two()
    {
        using var oneThread = Store(parallelism: 1);
        using var twoThreads = Store(parallelism: 2);
        var sequential = await CollectionAsync(oneThread, IndexKind.Hnsw);
        var parallel = await CollectionAsync(twoThreads, IndexKind.Hnsw);
        var records = Records(3000, seed: 3);
        var replacements = Records(200, seed: 4, firstKey: 100);

        foreach (var collection in new[] { sequential, parallel })
        {
            for (int start = 0; start < records.Count; start += 1000)
            {
                await collection.UpsertAsync(records.Skip(start).Take(1000));
            }

            await collection.UpsertAsync(replacements);
            await collection.DeleteAsync([ChunkRecord.CreateKey("d", 7), ChunkRecord.CreateKey("d", 2999)]);
        }

        Assert.Equal(await SavedAsync(sequential), await SavedAsync(parallel));
        Assert.Equal(202, Graph(twoThreads).RemovedCount);
        foreach (var query in Vectors(50, seed: 5))
        {
            Assert.Equal(await HitsAsync(sequential, query, 10), await HitsAsync(parallel, query, 10));
        }
    }

    [Fact]
    public async Task A_batched_HNSW_upsert_of_3000_vectors_finds_the_exact_top_10_for_most_queries()
    {
        var records = Records(3000, seed: 6);
        using var hnswStore = Store(parallelism: 2);
        using var flatStore = Store();
        var hnsw = await CollectionAsync(hnswStore, IndexKind.Hnsw);
        var flat = await CollectionAsync(flatStore, IndexKind.Flat);
        await hnsw.UpsertAsync(records);
        await flat.UpsertAsync(records);

        int found = 0;
        var queries = Vectors(50, seed: 7);
        foreach (var query in queries)
        {
            var expected = (await HitsAsync(flat, query, 10)).Select(hit => hit.Key);
            found += (await HitsAsync(hnsw, query, 10)).Select(hit => hit.Key).Intersect(expected).Count();
        }

        Assert.Equal(3000, Graph(hnswStore).Count);
        Assert.True(found >= 0.9 * 10 * queries.Count, $"recall@10 {found / (10.0 * queries.Count)}");
    }

    [Theory]
    [InlineData(IndexKind.Flat)]
    [InlineData(IndexKind.QuantizedFlat)]
    [InlineData(IndexKind.Hnsw)]
    public async Task Keys_replaced_within_a_batch_and_across_batches_are_found_by_their_new_vectors_only(string indexKind)
    {
        using var store = Store();
        var collection = await CollectionAsync(store, indexKind);
        var first = Records(1500, seed: 8);
        await collection.UpsertAsync(first);
        var moved = Records(20, seed: 9, firstKey: 10);
        var fresh = Records(20, seed: 10, firstKey: 1500);

        // One batch: 20 keys replaced from the first batch, 20 new keys, and 5 of the new keys given twice.
        await collection.UpsertAsync([.. moved, .. fresh, .. Records(5, seed: 11, firstKey: 1500)]);

        Assert.Equal(1520, await CountAsync(collection));
        foreach (var record in moved.Concat(Records(5, seed: 11, firstKey: 1500)).Concat(fresh.Skip(5)))
        {
            var best = (await HitsAsync(collection, record.Embedding, 1))[0];
            Assert.Equal(record.Key, best.Key);
            Assert.Equal(1, best.Score, 3);
        }

        foreach (var old in first.Skip(10).Take(20).Concat(fresh.Take(5)))
        {
            var best = (await HitsAsync(collection, old.Embedding, 1))[0];
            Assert.False(best.Key == old.Key && best.Score > 0.999, $"{old.Key} was found by its replaced vector");
        }

        if (indexKind == IndexKind.Hnsw)
        {
            // The 20 replaced keys left tombstones; each repeated key got one node, not two.
            Assert.Equal(1520, Graph(store).Count);
            Assert.Equal(20, Graph(store).RemovedCount);
        }
    }

    [Theory]
    [InlineData(IndexKind.Flat)]
    [InlineData(IndexKind.Hnsw)]
    public async Task A_batch_that_repeats_a_key_keeps_its_last_record_and_vector(string indexKind)
    {
        using var store = Store();
        var collection = await CollectionAsync(store, indexKind);
        var versions = Records(3, seed: 12);
        foreach (var version in versions)
        {
            version.Key = Same;
            version.Text = $"version of {version.Embedding.Span[0]}";
        }

        await collection.UpsertAsync(versions);

        var stored = await collection.GetAsync(Same, new RecordRetrievalOptions { IncludeVectors = true });
        Assert.Equal(versions[2].Text, stored!.Text);
        Assert.Equal(versions[2].Embedding.ToArray(), stored.Embedding.ToArray());
        var hits = await HitsAsync(collection, versions[2].Embedding, 5);
        Assert.Equal(Same, Assert.Single(hits).Key);
        Assert.Equal(1, hits[0].Score, 5);
        if (indexKind == IndexKind.Hnsw)
        {
            Assert.Equal(1, Graph(store).NodeCount);
        }
    }

    [Fact]
    public async Task Zero_and_unnormalisable_vectors_of_an_HNSW_batch_stay_outside_the_graph_and_are_still_found()
    {
        using var store = Store();
        var collection = await CollectionAsync(store, IndexKind.Hnsw);
        var records = Records(50, seed: 13);
        records[3].Embedding = new float[Dimensions];
        records[7].Embedding = Enumerable.Repeat(1e-30f, Dimensions).ToArray();

        await collection.UpsertAsync(records);

        Assert.Equal(48, Graph(store).Count);
        var keys = (await HitsAsync(collection, records[0].Embedding, 50)).Select(hit => hit.Key).ToList();
        Assert.Contains(records[3].Key, keys);
        Assert.Contains(records[7].Key, keys);
        Assert.Equal(50, keys.Count);
    }

    [Fact]
    public async Task A_reloaded_HNSW_index_reuses_the_nodes_of_unchanged_records_upserted_in_one_batch_with_changes()
    {
        var records = Records(1500, seed: 14);
        using var firstStore = Store();
        var first = await CollectionAsync(firstStore, IndexKind.Hnsw);
        await first.UpsertAsync(records);
        using var stream = new MemoryStream(await SavedAsync(first));
        using var secondStore = Store();
        var second = await CollectionAsync(secondStore, IndexKind.Hnsw);
        await second.LoadIndexAsync(stream);
        var changed = Records(100, seed: 15, firstKey: 200);

        // The unchanged records, the changed ones, and one unchanged key given again with a changed vector.
        await second.UpsertAsync([.. records.Take(200), .. changed, .. records.Skip(300), .. Records(1, seed: 16, firstKey: 5)]);

        var graph = Graph(secondStore);
        Assert.Equal(1500, graph.Count);
        Assert.Equal(1500 + 101, graph.NodeCount);
        foreach (var record in changed.Concat(records.Skip(300).Take(50)).Concat(Records(1, seed: 16, firstKey: 5)))
        {
            var best = (await HitsAsync(second, record.Embedding, 1))[0];
            Assert.Equal(record.Key, best.Key);
            Assert.Equal(1, best.Score, 3);
        }
    }

    [Theory]
    [InlineData(IndexKind.Flat)]
    [InlineData(IndexKind.QuantizedFlat)]
    [InlineData(IndexKind.Hnsw)]
    public async Task Searches_and_reads_finish_while_a_large_batch_is_indexed_and_see_none_of_it_until_it_is_published(string indexKind)
    {
        using var store = Store();
        var collection = await CollectionAsync(store, indexKind);
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal); // each record's text names its vector
        var old = Named(Records(600, seed: 11), "old", vectors);
        await collection.UpsertAsync(old);

        // The batch replaces 300 records with new vectors and texts and adds 1,200: six slices of the index build.
        var batch = Named(Records(1500, seed: 12, firstKey: 300), "new", vectors);
        var storage = (InMemoryCollectionStorage<Guid, ChunkRecord>)store.FindStorage("c")!;
        var midBatch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();
        int slices = 0;
        storage.SliceIndexed = () =>
        {
            if (Interlocked.Increment(ref slices) == 1)
            {
                midBatch.SetResult();
                release.Wait(); // the writer stays here, between two slices, until the searches below are done
            }
        };
        var writing = Task.Run(() => collection.UpsertAsync(batch));
        try
        {
            await midBatch.Task.WaitAsync(TimeSpan.FromMinutes(1));

            // The writer is held mid-batch: searches and reads finish, and see the collection as it was before the batch.
            var during = await SearchAsync(collection, Vectors(20, seed: 13).Concat(batch.Take(5).Select(static r => r.Embedding.ToArray())), vectors).WaitAsync(TimeSpan.FromMinutes(1));
            Assert.All(during, static text => Assert.StartsWith("old-", text, StringComparison.Ordinal));
            Assert.Equal("old-300", (await collection.GetAsync(old[300].Key))!.Text);
            Assert.Null(await collection.GetAsync(batch[^1].Key));
            Assert.Equal(600, await CountAsync(collection));
        }
        finally
        {
            release.Set();
        }

        await writing;
        Assert.Equal(6, slices);
        var after = await SearchAsync(collection, batch.Take(20).Select(static r => r.Embedding.ToArray()), vectors);
        Assert.DoesNotContain(after, static text => text.StartsWith("old-", StringComparison.Ordinal) && int.Parse(text.AsSpan(4), System.Globalization.CultureInfo.InvariantCulture) >= 300);
        Assert.Contains("new-0", after);
        Assert.Equal("new-0", (await collection.GetAsync(old[300].Key))!.Text);
        Assert.Equal("old-0", (await collection.GetAsync(old[0].Key))!.Text);
        Assert.Equal(1800, await CountAsync(collection));
    }

    // Gives each record the text "<prefix>-<i>" and remembers its vector under that text.
    private static List<ChunkRecord> Named(List<ChunkRecord> records, string prefix, Dictionary<string, float[]> vectors)
    {
        for (int i = 0; i < records.Count; i++)
        {
            records[i].Text = prefix + "-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            vectors[records[i].Text] = records[i].Embedding.ToArray();
        }

        return records;
    }

    // Searches for each query (top 10, with vectors) and returns the hits' texts, checking that each hit's vector is the one its text names.
    private static async Task<List<string>> SearchAsync(VectorStoreCollection<Guid, ChunkRecord> collection, IEnumerable<float[]> queries, Dictionary<string, float[]> vectors)
    {
        var texts = new List<string>();
        foreach (var query in queries)
        {
            await foreach (var hit in collection.SearchAsync(query, 10, new VectorSearchOptions<ChunkRecord> { IncludeVectors = true }))
            {
                Assert.True(vectors[hit.Record.Text].AsSpan().SequenceEqual(hit.Record.Embedding.Span), $"{hit.Record.Text}: the vector is not its own");
                texts.Add(hit.Record.Text);
            }
        }

        return texts;
    }

    private static readonly Guid Same = ChunkRecord.CreateKey("same", 0);

    private static InMemoryVectorStore Store(int parallelism = 2) => new(new InMemoryVectorStoreOptions
    {
        Hnsw = new HnswOptions { M = 8, EfConstruction = 48, EfSearch = 48, MaxDegreeOfParallelism = parallelism },
    });

    private static async Task<InMemoryVectorStoreCollection<Guid, ChunkRecord>> CollectionAsync(InMemoryVectorStore store, string indexKind)
    {
        var collection = (InMemoryVectorStoreCollection<Guid, ChunkRecord>)store.GetCollection<Guid, ChunkRecord>("c", ChunkRecord.CreateDefinition(Dimensions, indexKind));
        await collection.EnsureCollectionExistsAsync();
        return collection;
    }

    private static HnswIndex Graph(InMemoryVectorStore store) =>
        ((HnswVectorIndex)((InMemoryCollectionStorage<Guid, ChunkRecord>)store.FindStorage("c")!).Index).Graph;

    private static async Task<byte[]> SavedAsync(InMemoryVectorStoreCollection<Guid, ChunkRecord> collection)
    {
        using var stream = new MemoryStream();
        await collection.SaveIndexAsync(stream);
        return stream.ToArray();
    }

    private static async Task<int> CountAsync(VectorStoreCollection<Guid, ChunkRecord> collection)
    {
        int count = 0;
        await foreach (var _ in collection.GetAsync(_ => true, int.MaxValue))
        {
            count++;
        }

        return count;
    }

    private static async Task<List<(Guid Key, double Score)>> HitsAsync(VectorStoreCollection<Guid, ChunkRecord> collection, ReadOnlyMemory<float> query, int top)
    {
        var hits = new List<(Guid, double)>();
        await foreach (var hit in collection.SearchAsync(query, top))
        {
            hits.Add((hit.Record.Key, hit.Score!.Value));
        }

        return hits;
    }

    private static List<ChunkRecord> Records(int count, int seed, int firstKey = 0) =>
        [.. Vectors(count, seed).Select((vector, i) => new ChunkRecord { Key = ChunkRecord.CreateKey("d", firstKey + i), DocumentId = "d", Embedding = vector })];

    private static List<float[]> Vectors(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, Dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray())];
    }
}
