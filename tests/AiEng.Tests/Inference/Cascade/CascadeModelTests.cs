using AiEng.Inference;
using AiEng.Testing;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Inference.Cascade;

public sealed class CascadeModelTests
{
    [Fact]
    public void A_named_model_has_no_client()
    {
        var model = new CascadeModel("large");

        Assert.Equal("large", model.Name);
        Assert.Null(model.Client);
        Assert.Equal("large", model.ToString());
    }

    [Fact]
    public void A_client_is_named_by_the_given_name_else_by_its_default_model_id()
    {
        var client = new TestChatClient { Metadata = new ChatClientMetadata("test", null, "gpt-large") };

        Assert.Equal("large", new CascadeModel(client, "large").Name);
        Assert.Equal("gpt-large", new CascadeModel(client).Name);
        Assert.Same(client, new CascadeModel(client).Client);
    }

    [Fact]
    public void Arguments_are_checked()
    {
        Assert.Throws<ArgumentNullException>("name", () => new CascadeModel((string)null!));
        Assert.Throws<ArgumentException>("name", () => new CascadeModel(" "));
        Assert.Throws<ArgumentNullException>("client", () => new CascadeModel((IChatClient)null!));
        var error = Assert.Throws<ArgumentException>("name", () => new CascadeModel(new TestChatClient { Metadata = new ChatClientMetadata("test") }));
        Assert.Contains("new CascadeModel(client, \"large\")", error.Message, StringComparison.Ordinal);
    }
}
