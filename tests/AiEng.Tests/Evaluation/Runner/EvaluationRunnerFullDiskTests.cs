using AiEng.Evaluation;
using AiEng.TestSupport;
using Microsoft.Extensions.AI;

namespace AiEng.Tests.Evaluation.Runner;

/// <summary>An evaluation run whose output folder fills up (a small tmpfs; skipped where it cannot be mounted).</summary>
public sealed class EvaluationRunnerFullDiskTests
{
    [SmallDiskFact]
    public async Task A_full_disk_stops_the_run_with_an_error_naming_the_file_and_a_resumed_run_repeats_no_finished_case()
    {
        using SmallDisk disk = SmallDisk.Mount(kilobytes: 256);
        var dataset = new EvaluationDataset("set", [.. Enumerable.Range(0, 20).Select(i => new EvaluationCase($"c{i:D2}", $"question {i}: " + new string('x', 3000)) { Reference = "yes" })]);
        var called = new List<string>();
        bool fillAt7 = true;
        EvaluationTarget target = (evaluationCase, _) =>
        {
            called.Add(evaluationCase.Id);
            if (fillAt7 && evaluationCase.Id == "c07")
            {
                disk.Fill();
            }

            return ValueTask.FromResult(new EvaluationTargetOutput(new ChatResponse(new ChatMessage(ChatRole.Assistant, "yes"))));
        };
        var options = new EvaluationRunnerOptions { RunName = "full", MaxConcurrency = 1, OutputDirectory = disk.Path };
        string cases = Path.Combine(disk.Path, EvaluationRunner.CasesFileName);

        var error = await Assert.ThrowsAnyAsync<IOException>(() => new EvaluationRunner([new ExactMatchEvaluator()], options).RunAsync(dataset, target));

        Assert.Contains(cases, error.Message, StringComparison.Ordinal);
        Assert.InRange(called.Count, 8, 19);
        string[] finished = [.. (await File.ReadAllLinesAsync(cases)).Where(static l => l.EndsWith('}')).Select(static l => l[7..10])];
        Assert.InRange(finished.Length, 7, called.Count - 1);

        // Space given back: the finished cases are read back and not run again.
        disk.Free();
        fillAt7 = false;
        called.Clear();
        EvaluationRun run = await new EvaluationRunner([new ExactMatchEvaluator()], options).RunAsync(dataset, target);

        Assert.Equal(20, run.Cases.Count);
        Assert.All(run.Cases, static c => Assert.Equal(1.0, c.GetValue(ExactMatchEvaluator.MetricName)));
        Assert.Equal(dataset.Cases.Select(static c => c.Id).Except(finished), called);
        Assert.Equal(20, (await File.ReadAllLinesAsync(cases)).Where(static l => l.EndsWith('}')).Select(static l => l[7..10]).Distinct().Count());
    }
}
