using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval;

public sealed class MetadataFilterTests
{
    private static ChunkRecord Tagged(params string[] tags) => new() { Tags = [.. tags] };

    [Fact]
    public void Every_condition_must_hold_and_any_of_accepts_one_of_its_values()
    {
        var filter = new MetadataFilter().Where("tenant", "a").WhereAny("lang", "en", "de");

        Assert.True(filter.Matches(Tagged("tenant=a", "lang=de")));
        Assert.True(filter.Matches(Tagged("lang=en", "x=y", "tenant=a")));
        Assert.False(filter.Matches(Tagged("tenant=a", "lang=fr")));
        Assert.False(filter.Matches(Tagged("tenant=b", "lang=en")));
        Assert.False(filter.Matches(Tagged("lang=en")));
        Assert.False(filter.Matches(Tagged("tenant=A", "lang=en")));
        Assert.Equal("tenant = 'a' and lang in ('en', 'de')", filter.ToString());
    }

    [Fact]
    public void The_expression_is_Contains_on_the_tags_joined_by_and_and_or_and_agrees_with_Matches()
    {
        var filter = new MetadataFilter().Where("tenant", "a").WhereAny("lang", "en", "de");

        var expression = filter.ToExpression();
        var compiled = expression.Compile();

        Assert.Equal("record => (record.Tags.Contains(\"tenant=a\") AndAlso (record.Tags.Contains(\"lang=en\") OrElse record.Tags.Contains(\"lang=de\")))", expression.ToString());
        foreach (var record in new[] { Tagged("tenant=a", "lang=de"), Tagged("tenant=a"), Tagged("tenant=b", "lang=en"), Tagged() })
        {
            Assert.Equal(filter.Matches(record), compiled(record));
        }
    }

    [Fact]
    public void Filters_are_immutable_and_an_empty_any_of_matches_nothing()
    {
        var empty = new MetadataFilter();
        var tenant = empty.Where("tenant", "a");
        var none = tenant.WhereAny("group");

        Assert.Empty(empty.Conditions);
        Assert.True(empty.Matches(Tagged()));
        Assert.True(empty.ToExpression().Compile()(Tagged()));
        Assert.Single(tenant.Conditions);
        Assert.False(tenant.MatchesNothing);
        Assert.True(none.MatchesNothing);
        Assert.False(none.Matches(Tagged("tenant=a", "group=x")));
        Assert.False(none.ToExpression().Compile()(Tagged("tenant=a", "group=x")));
        Assert.Equal(["a"], tenant.WhereAny("x", "a", "a").Conditions[1].Values);
    }

    [Fact]
    public void Rejects_keys_that_cannot_be_tags_and_null_values()
    {
        var filter = new MetadataFilter();

        Assert.Throws<ArgumentException>(() => filter.Where("a=b", "c"));
        Assert.Throws<ArgumentException>(() => filter.Where("", "c"));
        Assert.Throws<ArgumentNullException>(() => filter.Where(null!, "c"));
        Assert.Throws<ArgumentNullException>(() => filter.Where("a", null!));
        Assert.Throws<ArgumentNullException>(() => filter.WhereAny("a", null!));
        Assert.Throws<ArgumentNullException>(() => filter.WhereAny("a", "b", null!));
        Assert.Throws<ArgumentNullException>(() => filter.Matches(null!));
    }
}
