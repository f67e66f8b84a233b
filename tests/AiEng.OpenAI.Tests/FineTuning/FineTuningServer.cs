using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using AiEng.FineTuning;
using AiEng.Testing;
using OpenAI;

namespace AiEng.OpenAI.Tests;

/// <summary>Fine-tuning clients on a test server, with the OpenAI client's own retries off, and a small valid training file.</summary>
internal static class FineTuningServer
{
    public const string Jsonl =
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Printer jams\"},{\"role\":\"assistant\",\"content\":\"hardware\"}]}\n" +
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Refund please\"},{\"role\":\"assistant\",\"content\":\"billing\"}]}\n";

    public static IFineTuningClient Client(OpenAITestServer server) =>
        new OpenAIClient(new ApiKeyCredential("test-key"), new OpenAIClientOptions
        {
            Endpoint = server.BaseAddress,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        }).AsIFineTuningClient();

    public static MemoryStream Content(string text = Jsonl) => new(Encoding.UTF8.GetBytes(text));
}
