using System.Numerics.Tensors;
using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval.Stores;

public class HnswIndexTests
{
    private const int Dimensions = 32;

    [Fact]
    public void Recall_at_10_against_brute_force_is_at_least_0_95_on_clustered_vectors()
    {
        var (points, queries) = Clustered(count: 2500, queryCount: 100, seed: 1);
        var index = new HnswIndex(Dimensions, new HnswOptions { M = 16, EfConstruction = 100, EfSearch = 64 });

        int first = index.AddRange(points);

        Assert.Equal(0, first);
        Assert.Equal(2500, index.Count);
        Assert.True(Recall(index, points, queries, 10) >= 0.95);
    }

    [Fact]
    public void Vectors_added_one_at_a_time_are_found_as_well()
    {
        var (points, queries) = Clustered(count: 1500, queryCount: 50, seed: 2);
        var index = new HnswIndex(Dimensions, new HnswOptions { EfConstruction = 100 });

        for (int i = 0; i < 1500; i++)
        {
            Assert.Equal(i, index.Add(points.AsSpan(i * Dimensions, Dimensions)));
        }

        Assert.True(Recall(index, points, queries, 10) >= 0.95);
    }

    [Fact]
    public void Scores_are_cosine_similarities_and_a_stored_vector_finds_itself_first()
    {
        var (points, _) = Clustered(count: 300, queryCount: 0, seed: 3);
        var index = new HnswIndex(Dimensions);
        index.AddRange(points);
        var query = points.AsSpan(17 * Dimensions, Dimensions).ToArray();
        TensorPrimitives.Multiply(query, 5f, query);

        var hits = index.Search(query, 5);

        Assert.Equal(5, hits.Count);
        Assert.Equal(17, hits[0].Id);
        Assert.Equal(1f, hits[0].Score, 5);
        for (int i = 1; i < hits.Count; i++)
        {
            Assert.True(hits[i - 1].Score >= hits[i].Score);
            float cosine = TensorPrimitives.CosineSimilarity(query, points.AsSpan(hits[i].Id * Dimensions, Dimensions));
            Assert.Equal(cosine, hits[i].Score, 5);
        }
    }

    [Fact]
    public void The_saved_bytes_are_the_same_for_any_number_of_threads()
    {
        var (points, _) = Clustered(count: 2500, queryCount: 0, seed: 4);

        byte[] Build(int threads)
        {
            var index = new HnswIndex(Dimensions, new HnswOptions { EfConstruction = 64, MaxDegreeOfParallelism = threads });
            index.AddRange(points.AsSpan(0, 1800 * Dimensions));
            index.AddRange(points.AsSpan(1800 * Dimensions));
            return Save(index);
        }

        byte[] one = Build(1);

        Assert.Equal(one, Build(2));
        Assert.Equal(one, Build(5));
    }

    [Fact]
    public void Concurrent_searches_give_the_same_results_as_sequential_ones()
    {
        var (points, queries) = Clustered(count: 1500, queryCount: 64, seed: 11);
        var index = new HnswIndex(Dimensions, new HnswOptions { EfConstruction = 64 });
        index.AddRange(points);
        index.Remove(5);
        var sequential = Enumerable.Range(0, 64).Select(q => index.Search(queries.AsSpan(q * Dimensions, Dimensions), 10)).ToArray();

        var concurrent = new IReadOnlyList<HnswHit>[64];
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, q => concurrent[q] = index.Search(queries.AsSpan(q * Dimensions, Dimensions), 10));

        for (int q = 0; q < 64; q++)
        {
            Assert.Equal(sequential[q], concurrent[q]);
        }
    }

    [Fact]
    public void A_different_seed_gives_a_different_graph()
    {
        var (points, _) = Clustered(count: 300, queryCount: 0, seed: 5);
        var a = new HnswIndex(Dimensions, new HnswOptions { Seed = 1, EfConstruction = 32 });
        var b = new HnswIndex(Dimensions, new HnswOptions { Seed = 2, EfConstruction = 32 });
        a.AddRange(points);
        b.AddRange(points);

        Assert.NotEqual(Save(a), Save(b));
    }

    [Fact]
    public void A_loaded_index_gives_the_same_results_and_the_same_bytes()
    {
        var (points, queries) = Clustered(count: 1300, queryCount: 30, seed: 6);
        var index = new HnswIndex(Dimensions, new HnswOptions { M = 12, EfConstruction = 80, EfSearch = 40, Seed = 9 });
        index.AddRange(points);
        index.Remove(3);
        index.Remove(1299);
        byte[] saved = Save(index);

        var loaded = HnswIndex.Load(new MemoryStream(saved));

        Assert.Equal(saved, Save(loaded));
        Assert.Equal(index.Count, loaded.Count);
        Assert.Equal(2, loaded.RemovedCount);
        Assert.True(loaded.IsRemoved(3));
        Assert.Equal(12, loaded.Options.M);
        Assert.Equal(80, loaded.Options.EfConstruction);
        Assert.Equal(40, loaded.Options.EfSearch);
        Assert.Equal(9, loaded.Options.Seed);
        for (int q = 0; q < 30; q++)
        {
            var query = queries.AsSpan(q * Dimensions, Dimensions);
            Assert.Equal(index.Search(query, 10), loaded.Search(query, 10));
        }
    }

    [Fact]
    public void Extending_a_loaded_index_gives_the_same_graph_as_extending_the_original()
    {
        var (points, _) = Clustered(count: 1500, queryCount: 0, seed: 7);
        var original = new HnswIndex(Dimensions, new HnswOptions { EfConstruction = 64 });
        original.AddRange(points.AsSpan(0, 1200 * Dimensions));
        var loaded = HnswIndex.Load(new MemoryStream(Save(original)));

        original.AddRange(points.AsSpan(1200 * Dimensions));
        loaded.AddRange(points.AsSpan(1200 * Dimensions));

        Assert.Equal(Save(original), Save(loaded));
    }

    [Fact]
    public void An_empty_index_round_trips_and_finds_nothing()
    {
        var loaded = HnswIndex.Load(new MemoryStream(Save(new HnswIndex(3))));

        Assert.Equal(3, loaded.Dimensions);
        Assert.Equal(0, loaded.Count);
        Assert.Empty(loaded.Search([1f, 0f, 0f], 5));
    }

    [Fact]
    public void A_truncated_file_fails_with_a_message_naming_the_section()
    {
        byte[] saved = Save(SmallIndex());

        foreach (int length in new[] { 0, 5, 20, 60, 80, saved.Length / 2, saved.Length - 1 })
        {
            var error = Assert.Throws<InvalidDataException>(() => HnswIndex.Load(new MemoryStream(saved[..length])));
            Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
            var unseekable = Assert.Throws<InvalidDataException>(() => HnswIndex.Load(new ForwardOnlyStream(saved[..length])));
            Assert.Contains("truncated", unseekable.Message, StringComparison.Ordinal);
        }

        var vectors = Assert.Throws<InvalidDataException>(() => HnswIndex.Load(new ForwardOnlyStream(saved[..(saved.Length / 2)])));
        Assert.Contains("in the vectors", vectors.Message, StringComparison.Ordinal);
        var announced = Assert.Throws<InvalidDataException>(() => HnswIndex.Load(new MemoryStream(saved[..(saved.Length / 2)])));
        Assert.Contains("announces 200 vectors", announced.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupted_byte_fails_the_checksum_of_its_section()
    {
        byte[] saved = Save(SmallIndex());

        var body = (byte[])saved.Clone();
        body[body.Length / 2] ^= 0x40;
        var header = (byte[])saved.Clone();
        header[20] ^= 0x01;

        Assert.Contains("checksum of the body", Assert.Throws<InvalidDataException>(() => HnswIndex.Load(new MemoryStream(body))).Message, StringComparison.Ordinal);
        Assert.Contains("checksum of the header", Assert.Throws<InvalidDataException>(() => HnswIndex.Load(new MemoryStream(header))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_file_type_or_format_version_is_rejected()
    {
        byte[] saved = Save(SmallIndex());
        var magic = (byte[])saved.Clone();
        magic[0] = (byte)'X';
        var version = (byte[])saved.Clone();
        version[8] = 2;

        Assert.Contains("not a saved HNSW index", Assert.Throws<InvalidDataException>(() => HnswIndex.Load(new MemoryStream(magic))).Message, StringComparison.Ordinal);
        Assert.Contains("format version 2", Assert.Throws<InvalidDataException>(() => HnswIndex.Load(new MemoryStream(version))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Removed_vectors_are_never_returned_but_the_others_still_are()
    {
        var (points, queries) = Clustered(count: 1500, queryCount: 40, seed: 8);
        var index = new HnswIndex(Dimensions, new HnswOptions { EfConstruction = 64 });
        index.AddRange(points);
        var removed = new HashSet<int>();
        for (int id = 0; id < 1500; id += 3)
        {
            Assert.True(index.Remove(id));
            removed.Add(id);
        }

        Assert.False(index.Remove(0));
        Assert.Equal(1500 - removed.Count, index.Count);
        Assert.Equal(removed.Count, index.RemovedCount);
        for (int q = 0; q < 40; q++)
        {
            var hits = index.Search(queries.AsSpan(q * Dimensions, Dimensions), 10);
            Assert.Equal(10, hits.Count);
            Assert.DoesNotContain(hits, hit => removed.Contains(hit.Id));
        }

        Assert.True(Recall(index, points, queries, 10, removed.Contains) >= 0.9);
    }

    [Fact]
    public void When_every_vector_is_removed_a_search_finds_nothing()
    {
        var index = SmallIndex();
        for (int id = 0; id < 200; id++)
        {
            index.Remove(id);
        }

        Assert.Equal(0, index.Count);
        var query = new float[Dimensions];
        query[0] = 1f;
        Assert.Empty(index.Search(query, 3));
    }

    [Fact]
    public void A_filter_limits_the_results_to_the_allowed_ids()
    {
        var index = SmallIndex();
        var query = new float[Dimensions];
        query[0] = 1f;

        var hits = index.Search(query, 10, efSearch: 50, filter: id => id % 2 == 1);

        Assert.Equal(10, hits.Count);
        Assert.All(hits, hit => Assert.Equal(1, hit.Id % 2));
    }

    [Fact]
    public void A_search_never_returns_more_than_the_index_holds()
    {
        var index = new HnswIndex(2);
        index.Add([1f, 0f]);
        index.Add([0f, 1f]);

        var hits = index.Search([1f, 1f], 10);

        Assert.Equal(2, hits.Count);
        Assert.Equal(0, hits[0].Id);
        Assert.Equal(1, hits[1].Id);
    }

    [Fact]
    public void Arguments_are_checked()
    {
        var index = SmallIndex();
        var good = new float[Dimensions];
        good[0] = 1f;
        var nan = (float[])good.Clone();
        nan[1] = float.NaN;

        Assert.Throws<ArgumentOutOfRangeException>(() => new HnswIndex(0));
        Assert.Contains("has 3 values", Assert.Throws<ArgumentException>(() => index.Add([1f, 2f, 3f])).Message, StringComparison.Ordinal);
        Assert.Contains("all zeros", Assert.Throws<ArgumentException>(() => index.Add(new float[Dimensions])).Message, StringComparison.Ordinal);
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => index.Add(nan)).Message, StringComparison.Ordinal);
        Assert.Contains("position 1", Assert.Throws<ArgumentException>(() => index.AddRange([.. good, .. nan])).Message, StringComparison.Ordinal);
        var huge = new float[Dimensions];
        Array.Fill(huge, 1e30f);
        Assert.Contains("too small or too large", Assert.Throws<ArgumentException>(() => index.Add(huge)).Message, StringComparison.Ordinal);
        Assert.Contains("multiple", Assert.Throws<ArgumentException>(() => index.AddRange(new float[Dimensions + 1])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => index.AddRange((IReadOnlyList<ReadOnlyMemory<float>>)null!));
        Assert.Throws<ArgumentException>(() => index.Search(new float[Dimensions], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(good, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(good, 1, efSearch: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Remove(200));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Remove(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.IsRemoved(200));
        Assert.Throws<ArgumentNullException>(() => index.Save(null!));
        Assert.Throws<ArgumentNullException>(() => HnswIndex.Load(null!));
        Assert.Equal(200, index.Count);
    }

    [Fact]
    public void The_list_overload_adds_the_same_vectors_as_the_span_overload()
    {
        var (points, _) = Clustered(count: 100, queryCount: 0, seed: 9);
        var rows = Enumerable.Range(0, 100).Select(i => new ReadOnlyMemory<float>(points, i * Dimensions, Dimensions)).ToList();
        var fromSpan = new HnswIndex(Dimensions);
        var fromList = new HnswIndex(Dimensions);

        fromSpan.AddRange(points);
        Assert.Equal(0, fromList.AddRange(rows));
        Assert.Equal(100, fromList.AddRange(Array.Empty<ReadOnlyMemory<float>>()));

        Assert.Equal(Save(fromSpan), Save(fromList));
    }

    /// <summary>A read-only stream that cannot seek, like a network stream.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;
    }

    private static HnswIndex SmallIndex()
    {
        var (points, _) = Clustered(count: 200, queryCount: 0, seed: 10);
        var index = new HnswIndex(Dimensions, new HnswOptions { M = 8, EfConstruction = 32 });
        index.AddRange(points);
        return index;
    }

    private static byte[] Save(HnswIndex index)
    {
        var stream = new MemoryStream();
        index.Save(stream);
        return stream.ToArray();
    }

    /// <summary>The share of the exact top k (by cosine, over the allowed points) that the index returns.</summary>
    private static double Recall(HnswIndex index, float[] points, float[] queries, int k, Func<int, bool>? excluded = null)
    {
        int count = points.Length / Dimensions;
        int found = 0;
        int total = 0;
        for (int q = 0; q < queries.Length / Dimensions; q++)
        {
            var query = queries.AsSpan(q * Dimensions, Dimensions);
            var exact = new List<(int Id, float Score)>();
            for (int id = 0; id < count; id++)
            {
                if (excluded is null || !excluded(id))
                {
                    exact.Add((id, TensorPrimitives.CosineSimilarity(query, points.AsSpan(id * Dimensions, Dimensions))));
                }
            }

            var truth = exact.OrderByDescending(e => e.Score).Take(k).Select(e => e.Id).ToHashSet();
            found += index.Search(query, k).Count(hit => truth.Contains(hit.Id));
            total += truth.Count;
        }

        return (double)found / total;
    }

    /// <summary>Seeded clustered vectors: 20 random centres, each point a centre plus Gaussian noise (not normalised).</summary>
    private static (float[] Points, float[] Queries) Clustered(int count, int queryCount, int seed)
    {
        var random = new Random(seed);
        var centres = new float[20 * Dimensions];
        for (int i = 0; i < centres.Length; i++)
        {
            centres[i] = Gaussian(random);
        }

        float[] Draw(int n)
        {
            var rows = new float[n * Dimensions];
            for (int i = 0; i < n; i++)
            {
                int c = random.Next(20);
                for (int d = 0; d < Dimensions; d++)
                {
                    rows[(i * Dimensions) + d] = centres[(c * Dimensions) + d] + (0.6f * Gaussian(random));
                }
            }

            return rows;
        }

        return (Draw(count), Draw(queryCount));
    }

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble()));
}
