using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;

namespace AiEng.Testing.Tests;

/// <summary>Creates official OpenAI clients pointed at a test server, with the client's own retries off so faults are seen as-is.</summary>
internal static class OpenAIClients
{
    public static OpenAIClient Create(OpenAITestServer server, string apiKey = "test-key") =>
        new(new ApiKeyCredential(apiKey), new OpenAIClientOptions
        {
            Endpoint = server.BaseAddress,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });

    public static IChatClient Chat(OpenAITestServer server, string model = "m") => Create(server).GetChatClient(model).AsIChatClient();

    public static IEmbeddingGenerator<string, Embedding<float>> Embeddings(OpenAITestServer server, string model = "e") =>
        Create(server).GetEmbeddingClient(model).AsIEmbeddingGenerator();
}
