using System.Diagnostics;
using System.Globalization;
using AiEng.Prompts;
using Fluid;
using Microsoft.Extensions.AI;

namespace AiEng.Benchmarks;

/// <summary>
/// <c>prompts</c>: (1) rendering a parsed prompt file with inputs and three few-shot examples into chat messages, against
/// rendering the same Liquid body directly with Fluid (parsed once, same values, same text checked), in short interleaved
/// rounds in one process (medians of the rounds; the ratio is the median of the per-round ratios);
/// (2) semantic selection of 3 examples out of 10,000 pre-embedded ones (384 dimensions, seeded vectors), the query
/// already embedded. Targets: ratio &lt;= 1.25; selection &lt;= 5 ms.
/// </summary>
internal static class PromptsBenchmark
{
    private const string Body = """
        system:
        You classify support tickets into billing, account, delivery or other and extract the order id.
        {% for e in examples %}
        Ticket: {{ e.input }}
        Answer: {{ e.output }}
        {% endfor %}
        user:
        Customer {{ customer }} ({{ plan }}) wrote:
        {{ ticket }}
        """;

    private const string File = "---\nname: classify\nversion: 1\nmodel:\n  parameters:\n    temperature: 0\n    max_tokens: 100\n    response_format: json_object\n"
        + "inputs:\n  ticket:\n    type: string\n    required: true\n  customer:\n    type: string\n  plan:\n    type: string\n    default: free\n  examples:\n    type: array\n    priority: 1\n---\n"
        + Body;

    public static Task RunAsync(BenchmarkArguments arguments)
    {
        int renders = arguments.GetInt("renders", 4_000);
        int rounds = arguments.GetInt("rounds", 25);
        int queries = arguments.GetInt("queries", 200);

        PromptExample[] examples =
        [
            new("I was charged twice for order 1234.", "{\"category\":\"billing\",\"order\":\"1234\"}"),
            new("I cannot log in since the update.", "{\"category\":\"account\",\"order\":null}"),
            new("Parcel 998 is a week late.", "{\"category\":\"delivery\",\"order\":\"998\"}"),
        ];
        var inputs = new Dictionary<string, object?>
        {
            ["ticket"] = "My invoice for order 5521 shows the wrong amount, please fix it.",
            ["customer"] = "Ann",
            ["examples"] = examples,
        };

        PromptTemplate template = PromptTemplate.Parse(File, "classify.prompty");
        var parser = new FluidParser();
        IFluidTemplate raw = parser.Parse(Body);
        var rawOptions = new TemplateOptions();
        var rawExamples = examples.Select(e => new Dictionary<string, object?> { ["input"] = e.Input, ["output"] = e.Output }).ToArray();

        string RenderRaw()
        {
            var context = new TemplateContext(rawOptions);
            context.SetValue("ticket", (string)inputs["ticket"]!);
            context.SetValue("customer", (string)inputs["customer"]!);
            context.SetValue("plan", "free");
            context.SetValue("examples", rawExamples);
            return raw.Render(context);
        }

        // Both paths must produce the same text: the raw render is the two messages with their role marker lines, and
        // AiEng trims each message, so the texts are compared with the markers removed and whitespace runs collapsed.
        IList<ChatMessage> messages = template.Render(inputs).Messages;
        string expected = RenderRaw();
        string withoutMarkers = expected.Replace("system:\n", string.Empty, StringComparison.Ordinal).Replace("user:\n", string.Empty, StringComparison.Ordinal);
        if (messages.Count != 2 || Collapse(withoutMarkers) != Collapse(messages[0].Text + "\n" + messages[1].Text))
        {
            throw new InvalidOperationException("The two renders differ; the comparison would not be fair.");
        }

        double Measure(Action action)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < renders; i++)
            {
                action();
            }

            return Stopwatch.GetElapsedTime(start).TotalMicroseconds / renders;
        }

        Action aieng = () => template.Render(inputs);
        Action fluid = () => RenderRaw();

        // Warm-up: enough calls for tiered compilation to reach optimised code on both paths.
        for (int i = 0; i < 3; i++)
        {
            Measure(aieng);
            Measure(fluid);
        }

        // Short rounds, the two sides interleaved and their order alternated (A B, then B A), so that load from other
        // processes hits both sides alike. Each round gives a pair; the ratio is the median of the per-round ratios.
        var aiengUs = new List<double>();
        var fluidUs = new List<double>();
        var ratios = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            double a, f;
            if (round % 2 == 0)
            {
                a = Measure(aieng);
                f = Measure(fluid);
            }
            else
            {
                f = Measure(fluid);
                a = Measure(aieng);
            }

            aiengUs.Add(a);
            fluidUs.Add(f);
            ratios.Add(a / f);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: aieng {a:F2} us, fluid {f:F2} us, ratio {a / f:F3}"));
        }

        // Selection: 10,000 seeded 384-dimension vectors, 3 nearest by cosine.
        const int Count = 10_000, Dimensions = 384;
        var random = new Random(7);
        var pool = new PromptExample[Count];
        var vectors = new ReadOnlyMemory<float>[Count];
        for (int i = 0; i < Count; i++)
        {
            pool[i] = new PromptExample("ticket " + i, "answer " + i);
            vectors[i] = RandomVector(random, Dimensions);
        }

        var selector = new SemanticExampleSelector(new EmbeddedExamples(pool, vectors), new NoEmbeddings(), count: 3);
        float[][] queryVectors = [.. Enumerable.Range(0, queries).Select(_ => RandomVector(random, Dimensions))];
        // Warm up until the scan loop runs tier-1 code.
        for (int i = 0; i < 100; i++)
        {
            selector.Select(queryVectors[i % queryVectors.Length]);
        }

        var selectMs = new List<double>();
        foreach (float[] query in queryVectors)
        {
            long start = Stopwatch.GetTimestamp();
            if (selector.Select(query).Count != 3)
            {
                throw new InvalidOperationException("Selection returned the wrong number of examples.");
            }

            selectMs.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        double aiengMedian = Median(aiengUs), fluidMedian = Median(fluidUs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"bench\":\"prompts\",\"aieng_render_us\":{aiengMedian:F2},\"raw_fluid_us\":{fluidMedian:F2},\"ratio\":{Median(ratios):F3},\"select_10k_ms\":{Median(selectMs):F3}}}"));
        return Task.CompletedTask;
    }

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static float[] RandomVector(Random random, int dimensions)
    {
        var vector = new float[dimensions];
        for (int d = 0; d < dimensions; d++)
        {
            vector[d] = (float)((random.NextDouble() * 2) - 1);
        }

        return vector;
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The selection is measured on pre-embedded queries, so the generator is never called.</summary>
    private sealed class NoEmbeddings : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
