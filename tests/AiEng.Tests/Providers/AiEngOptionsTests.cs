using AiEng.Providers;

namespace AiEng.Tests.Providers;

public class AiEngOptionsTests
{
    [Fact]
    public void Defaults_are_the_offline_chat_provider_and_the_onnx_embedding_provider_with_no_named_models()
    {
        var options = new AiEngOptions();

        Assert.Equal("Offline", options.Chat.Provider);
        Assert.Equal("Onnx", options.Embeddings.Provider);
        Assert.Empty(options.ChatModels);
        Assert.Empty(options.EmbeddingModels);
    }

    [Fact]
    public void ToString_describes_every_model_with_api_keys_redacted()
    {
        var options = new AiEngOptions { Chat = new ModelOptions { Provider = "OpenAI", Model = "gpt-4o-mini", ApiKey = "sk-secret-1" } };
        options.ChatModels["smart"] = new ModelOptions { Model = "gpt-4o", ApiKey = "sk-secret-2" };

        var text = options.ToString();

        Assert.Contains("Model=gpt-4o-mini", text, StringComparison.Ordinal);
        Assert.Contains("smart=(Provider=(default), Model=gpt-4o, ApiKey=***)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-secret", text, StringComparison.Ordinal);
    }
}
