using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval.Keyword;

public class Bm25IndexIncrementalTests
{
    private static readonly string[] Words =
    [
        "router", "reset", "warranty", "password", "wifi", "cable", "firmware", "update", "light", "blink",
        "power", "button", "signal", "channel", "network", "guest", "port", "modem", "fibre", "speed",
    ];

    private static readonly string[] Queries =
    [
        "router reset", "warranty", "password wifi guest", "firmware update light", "blink blink power", "speed of the fibre modem",
        "channel signal network port", "cable", "unknown words only", "button",
    ];

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    public void Random_upserts_deletes_and_replacements_score_exactly_as_a_rebuild(int seed, bool luceneLengths)
    {
        var random = new Random(seed);
        var options = new Bm25Options { LuceneLengthEncoding = luceneLengths };
        var index = new Bm25IndexBuilder<string>(options).Build();

        // The reference: the live documents in the order of their last write, which is the index's tie order.
        var live = new List<(string Id, string Text)>();
        for (int step = 0; step < 120; step++)
        {
            var upserts = new List<(string Id, string Text, string Document)>();
            var deletes = new List<string>();
            int operations = random.Next(1, 12);
            for (int i = 0; i < operations; i++)
            {
                string id = "d" + random.Next(0, 60);
                if (random.NextDouble() < 0.3)
                {
                    deletes.Add(id);
                }
                else
                {
                    upserts.Add((id, Text(random), id));
                }
            }

            index = index.Apply(upserts, deletes);
            live.RemoveAll(d => deletes.Contains(d.Id) || upserts.Any(u => u.Id == d.Id));
            foreach (var group in upserts.GroupBy(u => u.Id))
            {
                live.Add((group.Key, group.Last().Text));
            }

            var builder = new Bm25IndexBuilder<string>(options);
            foreach (var (id, text) in live)
            {
                builder.Add(id, text, id);
            }

            var rebuilt = builder.Build();
            Assert.Equal(rebuilt.Count, index.Count);
            foreach (string query in Queries)
            {
                Assert.Equal(rebuilt.Search(query, 100), index.Search(query, 100));
                Assert.Equal(rebuilt.Search(query, 3, id => id.EndsWith('1')), index.Search(query, 3, id => id.EndsWith('1')));
            }
        }

        Assert.True(index.SegmentCount <= 8, $"{index.SegmentCount} segments after 120 batches; merging should keep them logarithmic.");
    }

    [Fact]
    public void Applying_leaves_the_original_index_unchanged()
    {
        var builder = new Bm25IndexBuilder<string>();
        builder.Add("a", "router reset", "a");
        builder.Add("b", "warranty terms", "b");
        var before = builder.Build();

        var after = before.Apply([("c", "router warranty", "c")], ["a"]);

        Assert.Equal(["a"], before.Search("router", 10).Select(h => h.Id));
        Assert.Equal(["c"], after.Search("router", 10).Select(h => h.Id));
        Assert.Equal(2, after.Count);
        Assert.Same(after, after.Apply([], ["missing"]));
    }

    [Fact]
    public void A_replaced_document_keeps_one_entry_and_the_last_text_of_a_batch_wins()
    {
        var index = new Bm25IndexBuilder<string>().Build()
            .Apply([("a", "router", "a"), ("a", "warranty", "a2")], []);

        Assert.Empty(index.Search("router", 10));
        var hit = Assert.Single(index.Search("warranty", 10));
        Assert.Equal("a2", hit.Document);
        Assert.Equal(1, index.Count);
    }

    private static string Text(Random random)
    {
        int length = random.Next(0, 9);
        return string.Join(' ', Enumerable.Range(0, length).Select(_ => Words[random.Next(Words.Length)]));
    }
}
