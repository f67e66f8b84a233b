using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval.Keyword;

public class Bm25IndexTests
{
    // Three documents after analysis (stop word "and" removed, "lazy" -> "lazi", "jumps" -> "jump"):
    //   d1: quick brown fox                (length 3)
    //   d2: lazi dog brown dog             (length 4)
    //   d3: red fox jump over red fox      (length 6)
    // N = 3, avgdl = 13 / 3 = 4.3333; "fox" and "brown" each occur in 2 documents:
    //   idf = ln(1 + (3 - 2 + 0.5) / (2 + 0.5)) = ln(1.6) = 0.4700036
    // These fixtures use exact lengths (LuceneLengthEncoding off); the rounding Lucene applies is tested on its own below.
    // With k1 = 0.9 and b = 0.4, score = idf * tf * 1.9 / (tf + 0.9 * (0.6 + 0.4 * dl / 4.3333)):
    //   "fox" in d1 (tf 1, dl 3): 0.4700036 * 1.9 / (1 + 0.7892308) = 0.4991010
    //   "fox" in d3 (tf 2, dl 6): 0.4700036 * 3.8 / (2 + 1.0384615) = 0.5878020
    //   "brown" in d2 (tf 1, dl 4): 0.4700036 * 1.9 / (1 + 0.8723077) = 0.4769552
    private static Bm25Index<string> CreateIndex(bool luceneLengthEncoding = false)
    {
        var builder = new Bm25IndexBuilder<string>(new Bm25Options { LuceneLengthEncoding = luceneLengthEncoding });
        builder.Add("d1", "Quick brown fox", "d1");
        builder.Add("d2", "Lazy dog and brown dog", "d2");
        builder.Add("d3", "Red fox jumps over red fox", "d3");
        return builder.Build();
    }

    [Fact]
    public void A_filter_is_asked_once_per_document_and_its_rejections_never_score()
    {
        var asked = new List<string>();

        // d1 holds "brown" and "fox", d3 "fox" twice: every document is reached by several query terms.
        var hits = CreateIndex().Search("brown fox dog", 10, id =>
        {
            asked.Add(id);
            return id != "d1";
        });

        Assert.Equal(["d1", "d2", "d3"], asked.Order(StringComparer.Ordinal));
        Assert.Equal(["d3", "d2"], hits.Select(h => h.Id).Order(StringComparer.Ordinal).Reverse());
        Assert.DoesNotContain(hits, h => h.Id == "d1");
        Assert.All(hits, h => Assert.False(double.IsNaN(h.Score)));
    }

    [Fact]
    public void Scores_a_query_with_lucene_idf_and_anserini_parameters()
    {
        var hits = CreateIndex().Search("fox", 10);

        Assert.Equal(["d3", "d1"], hits.Select(h => h.Id));
        Assert.Equal(0.5878020, hits[0].Score, 5);
        Assert.Equal(0.4991010, hits[1].Score, 5);
    }

    [Fact]
    public void Rounds_document_lengths_as_lucene_4_stores_them_by_default()
    {
        // Lucene 4 keeps 1/sqrt(length) in one byte: lengths 3 and 4 both read back as 4, and 6 as 7.111.
        //   "brown" in d1 and d2 (tf 1, dl 4): 0.4700036 * 1.9 / (1 + 0.9 * (0.6 + 0.4 * 4 / 4.3333)) = 0.4769552
        //   "fox" in d3 (tf 2, dl 7.111):      0.4700036 * 3.8 / (2 + 0.9 * (0.6 + 0.4 * 7.111 / 4.3333)) = 0.5704712
        var rounded = CreateIndex(luceneLengthEncoding: true);
        var brown = rounded.Search("brown", 10);
        Assert.Equal(0.4769552, brown[0].Score, 5);
        Assert.Equal(0.4769552, brown[1].Score, 5);
        Assert.Equal(0.5704712, rounded.Search("fox", 1)[0].Score, 5);

        // With exact lengths the shorter d1 wins.
        var exact = CreateIndex().Search("brown", 10);
        Assert.Equal(["d1", "d2"], exact.Select(h => h.Id));
        Assert.True(exact[0].Score > exact[1].Score + 0.01);

        Assert.True(new Bm25Options().LuceneLengthEncoding);
    }

    [Fact]
    public void Sums_term_scores_and_keeps_only_the_top_k()
    {
        var index = CreateIndex();

        // d1 = 0.4991010 (brown) + 0.4991010 (fox) = 0.9982020; d3 = 0.5878020; d2 = 0.4769552.
        var hits = index.Search("brown foxes", 10);
        Assert.Equal(["d1", "d3", "d2"], hits.Select(h => h.Id));
        Assert.Equal(0.9982020, hits[0].Score, 5);
        Assert.Equal(0.4769552, hits[2].Score, 5);

        Assert.Equal(["d1", "d3"], index.Search("brown foxes", 2).Select(h => h.Id));
    }

    [Fact]
    public void Counts_a_repeated_query_term_once_per_occurrence()
    {
        var hits = CreateIndex().Search("fox fox", 1);

        Assert.Equal(2 * 0.5878020, hits[0].Score, 5);
    }

    [Fact]
    public void Returns_nothing_for_stop_words_or_unknown_terms()
    {
        var index = CreateIndex();

        Assert.Empty(index.Search("the and of", 10));
        Assert.Empty(index.Search("zebra", 10));
        Assert.Empty(new Bm25IndexBuilder<string>().Build().Search("fox", 10));
    }

    [Fact]
    public void Gives_the_same_results_to_searches_running_in_parallel()
    {
        var index = CreateIndex();
        string[] queries = ["fox", "brown dog", "red quick", "lazy"];
        var expected = queries.Select(q => index.Search(q, 3)).ToArray();

        var results = new IReadOnlyList<Bm25Hit<string>>[400];
        Parallel.For(0, results.Length, i => results[i] = index.Search(queries[i % queries.Length], 3));

        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal(expected[i % queries.Length], results[i]);
        }
    }

    [Fact]
    public void Rejects_duplicate_ids_and_invalid_parameters()
    {
        var builder = new Bm25IndexBuilder<string>();
        builder.Add("d1", "text", "d1");

        var duplicate = Assert.Throws<ArgumentException>(() => builder.Add("d1", "other", "d1"));
        Assert.Contains("'d1'", duplicate.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Bm25IndexBuilder<string>(new Bm25Options { B = 1.5f }));
        Assert.Throws<ArgumentException>(() => new Bm25IndexBuilder<string>(new Bm25Options { K1 = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Build().Search("text", 0));
    }
}
