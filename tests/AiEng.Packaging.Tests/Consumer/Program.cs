// A small application that uses AiEng only through its NuGet packages.
using AiEng.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

await using var server = await OpenAITestServer.StartAsync();

var configuration = new ConfigurationBuilder()
    .AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["AiEng:ChatModels:remote:Provider"] = "OpenAI",
        ["AiEng:ChatModels:remote:Model"] = "test-model",
        ["AiEng:ChatModels:remote:Endpoint"] = server.BaseAddress.ToString(),
    })
    .Build();

var services = new ServiceCollection();
services.AddAiEng(configuration).AddOnnx().AddOpenAI().AddOllama();
await using var provider = services.BuildServiceProvider();

var chat = provider.GetRequiredService<IChatClient>();
var metadata = chat.GetService<ChatClientMetadata>();
Console.WriteLine($"consumer: chat provider {metadata?.ProviderName}");
var answer = await chat.GetResponseAsync(
[
    new(ChatRole.System, "AiEng ships as NuGet packages. The sky is blue on a clear day."),
    new(ChatRole.User, "How does AiEng ship?"),
]);
Console.WriteLine(answer.Text);

var embeddings = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
var vectors = await embeddings.GenerateAsync(["a cat sat on the mat", "a dog lay on the rug"]);
Console.WriteLine($"consumer: embedding dimensions {vectors[0].Vector.Length}");

var remote = provider.GetRequiredKeyedService<IChatClient>("remote");
var reply = await remote.GetResponseAsync("ping");
Console.WriteLine($"consumer: test server answered '{reply.Text}' after {server.RequestCount} request(s)");
