using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval;

public class SearchHitTests
{
    [Fact]
    public void Hits_with_the_same_id_and_score_are_equal()
    {
        var hit = new SearchHit("doc-1", 0.5);
        var same = new SearchHit("doc-1", 0.5);

        Assert.Equal(hit, same);
        Assert.True(hit == same);
        Assert.False(hit != same);
        Assert.True(hit.Equals((object)same));
        Assert.Equal(hit.GetHashCode(), same.GetHashCode());
    }

    [Fact]
    public void Ids_compare_ordinally_and_scores_count()
    {
        var hit = new SearchHit("doc-1", 0.5);

        Assert.NotEqual(hit, new SearchHit("DOC-1", 0.5));
        Assert.NotEqual(hit, new SearchHit("doc-1", 0.25));
        Assert.True(hit != new SearchHit("doc-2", 0.5));
        Assert.False(hit.Equals("doc-1"));
    }

    [Fact]
    public void Keeps_its_id_and_score_and_rejects_a_null_id()
    {
        var hit = new SearchHit("doc-1", 0.75);

        Assert.Equal(("doc-1", 0.75), (hit.Id, hit.Score));
        Assert.Equal("doc-1 (0.75)", hit.ToString());
        Assert.Throws<ArgumentNullException>("id", () => new SearchHit(null!, 1));
    }
}
