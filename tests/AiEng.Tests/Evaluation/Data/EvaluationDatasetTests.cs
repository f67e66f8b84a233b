using AiEng.Evaluation;
using AiEng.Tests.TestSupport;

namespace AiEng.Tests.Evaluation.Data;

public sealed class EvaluationDatasetTests
{
    [Fact]
    public async Task Reads_every_field_and_numbers_missing_ids_by_line()
    {
        const string Text = """
            {"id":"q1","input":"Capital of France?","reference":"Paris","contexts":["Paris is the capital."],"relevance":{"d1":2},"metadata":{"topic":"geo","level":3}}

            {"input":"No reference here"}
            """;
        var dataset = await EvaluationDataset.ParseJsonlAsync(new StringReader(Text), "cases.jsonl", "cases");

        Assert.Equal(2, dataset.Cases.Count);
        var first = dataset.Cases[0];
        Assert.Equal(("q1", "Capital of France?", "Paris"), (first.Id, first.Input, first.Reference));
        Assert.Equal(["Paris is the capital."], first.Contexts);
        Assert.Equal(2, first.Relevance!["d1"]);
        Assert.Equal("3", first.Metadata["level"]);
        Assert.Equal("line-3", dataset.Cases[1].Id);
        Assert.Null(dataset.Cases[1].Reference);
    }

    [Theory]
    [InlineData("{\"input\":\"a\"}\n{\"input\": 5}", 2, "'input' is required")]
    [InlineData("{\"input\":\"a\"}\n{not json", 2, "not valid JSON")]
    [InlineData("{\"input\":\"a\",\"refrence\":\"x\"}", 1, "unknown property 'refrence'")]
    [InlineData("{\"id\":\"x\",\"input\":\"a\"}\n{\"id\":\"x\",\"input\":\"b\"}", 2, "already used on line 1")]
    [InlineData("{\"input\":\"a\",\"contexts\":\"one\"}", 1, "'contexts' must be an array")]
    [InlineData("{\"input\":\"a\",\"relevance\":{\"d\":\"high\"}}", 1, "grade of 'd' must be an integer")]
    [InlineData("[1,2]", 1, "must be a JSON object")]
    public async Task A_malformed_line_names_the_file_and_the_line(string text, int line, string problem)
    {
        var ex = await Assert.ThrowsAsync<EvaluationDataException>(() => EvaluationDataset.ParseJsonlAsync(new StringReader(text), "cases.jsonl", "cases"));
        Assert.Equal(line, ex.LineNumber);
        Assert.Equal("cases.jsonl", ex.FilePath);
        Assert.StartsWith($"cases.jsonl:{line}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loads_the_judged_queries_of_a_beir_directory()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(temp.Path, "qrels"));
        await File.WriteAllTextAsync(Path.Combine(temp.Path, "queries.jsonl"), "{\"_id\":\"1\",\"text\":\"first\"}\n{\"_id\":\"2\",\"text\":\"unjudged\"}\n");
        await File.WriteAllTextAsync(Path.Combine(temp.Path, "qrels", "test.tsv"), "query-id\tcorpus-id\tscore\n1\tdocA\t1\n1\tdocB\t2\n");

        var dataset = await EvaluationDataset.LoadBeirAsync(temp.Path);

        var only = Assert.Single(dataset.Cases);
        Assert.Equal(("1", "first"), (only.Id, only.Input));
        Assert.Equal(2, only.Relevance!["docB"]);
    }
}
