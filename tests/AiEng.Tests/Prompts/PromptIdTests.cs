using AiEng.Prompts;

namespace AiEng.Tests.Prompts;

public class PromptIdTests
{
    private const string Hash = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    [Fact]
    public void Ids_with_the_same_name_version_and_hash_are_equal()
    {
        var id = new PromptId("classify", "1.2.0", Hash);
        var same = new PromptId("classify", "1.2.0", Hash);

        Assert.Equal(id, same);
        Assert.True(id == same);
        Assert.False(id != same);
        Assert.True(id.Equals((object)same));
        Assert.Equal(id.GetHashCode(), same.GetHashCode());
        Assert.Single(new HashSet<PromptId> { id, same });
    }

    [Fact]
    public void Any_differing_part_makes_ids_differ()
    {
        var id = new PromptId("classify", "1.2.0", Hash);

        Assert.NotEqual(id, new PromptId("Classify", "1.2.0", Hash));
        Assert.NotEqual(id, new PromptId("classify", "1.3.0", Hash));
        Assert.NotEqual(id, new PromptId("classify", "1.2.0", Hash.Replace("0000", "1111", StringComparison.Ordinal)));
        Assert.False(id == null);
        Assert.True(id != null);
        Assert.True((PromptId?)null == null);
        Assert.False(id.Equals(null));
    }

    [Fact]
    public void Prints_name_at_version_and_rejects_null_parts()
    {
        Assert.Equal("classify@1.2.0", new PromptId("classify", "1.2.0", Hash).ToString());
        Assert.Throws<ArgumentNullException>("name", () => new PromptId(null!, "1", Hash));
        Assert.Throws<ArgumentNullException>("version", () => new PromptId("a", null!, Hash));
        Assert.Throws<ArgumentNullException>("contentHash", () => new PromptId("a", "1", null!));
    }
}
