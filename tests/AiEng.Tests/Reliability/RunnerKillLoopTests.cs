using System.Globalization;
using System.Text.Json;
using AiEng.Evaluation;
using AiEng.Runners.CrashHost;
using AiEng.Tests.TestSupport;
using AiEng.TestSupport;
using Xunit.Abstractions;

namespace AiEng.Tests.Reliability;

/// <summary>
/// Kill loops of the evaluation runner and the batch runner, each in a separate process (tests/AiEng.Runners.CrashHost)
/// killed with SIGKILL at random points and restarted on the same run folder or results file. After every kill: the
/// files are readable (at most one torn line per kill), no finished item is lost, none has two results, no finished item
/// reached the model again; a last run finishes, and its results equal those of an uninterrupted run. The number of kills
/// is <c>AIENG_KILL_LOOPS</c> (default 3, as in CI; <c>eng/kill-loop.sh 50 eval</c> and <c>... batch</c> run more).
/// </summary>
public sealed class RunnerKillLoopTests(ITestOutputHelper output)
{
    // The model waits this long per question, so that a host is still running when the test, starved of CPU on a busy
    // machine, reads its commits and kills it (at 3 ms a host ran about 40 items past its kill point).
    private const int ModelDelayMs = 20;

    // More items than the kills can finish, with room for the items a host finishes between its kill point and its death.
    private static readonly int Items = 2 * KillLoop.Documents;

    private static readonly string Host = CrashHostProcess.Find("AiEng.Runners.CrashHost", typeof(RunnerKillLoopTests).Assembly);

    [Fact]
    public async Task An_evaluation_killed_again_and_again_at_random_points_loses_no_finished_case_runs_none_twice_and_ends_as_an_uninterrupted_run()
    {
        using var temp = new TempDirectory();
        string killed = Path.Combine(temp.Path, "killed"), uninterrupted = Path.Combine(temp.Path, "uninterrupted");
        int seed = Environment.TickCount;
        var started = DateTime.UtcNow;

        await KillAgainAndAgainAsync("eval", killed, kills => FinishedCases(Path.Combine(killed, EvaluationRunner.CasesFileName), kills), seed);
        await RunHostAsync("eval", uninterrupted, killAfter: null, asked: []);

        // The report of the killed and resumed run holds the same answers and scores, case by case, as an uninterrupted run.
        var resumed = await EvaluationRun.LoadAsync(Path.Combine(killed, CrashRuns.ReportFileName));
        var whole = await EvaluationRun.LoadAsync(Path.Combine(uninterrupted, CrashRuns.ReportFileName));
        Assert.Equal(Scores(whole), Scores(resumed));
        Assert.Equal(whole.Summarize(ExactMatchEvaluator.MetricName).Mean, resumed.Summarize(ExactMatchEvaluator.MetricName).Mean);
        Assert.All(resumed.Cases, static c => Assert.Null(c.Error));
        output.WriteLine($"evaluation: {KillLoop.Kills} kills, {Items} cases, {(DateTime.UtcNow - started).TotalMinutes:F1} min (seed {seed})");
    }

    [Fact]
    public async Task A_batch_killed_again_and_again_at_random_points_loses_no_finished_item_runs_none_twice_and_ends_as_an_uninterrupted_run()
    {
        using var temp = new TempDirectory();
        string killed = Path.Combine(temp.Path, "killed.jsonl"), uninterrupted = Path.Combine(temp.Path, "uninterrupted.jsonl");
        int seed = Environment.TickCount;
        var started = DateTime.UtcNow;

        await KillAgainAndAgainAsync("batch", killed, kills => BatchFileChecks.Succeeded(killed, $"after {kills} kills (seed {seed})", maxTorn: kills), seed);
        await RunHostAsync("batch", uninterrupted, killAfter: null, asked: []);

        // Each item's answer is the one an uninterrupted run gets, and the model's.
        var resumed = BatchFileChecks.Read(killed, $"at the end (seed {seed})", maxTorn: KillLoop.Kills);
        var whole = BatchFileChecks.Read(uninterrupted, "the uninterrupted run", maxTorn: 0);
        Assert.Equal(whole.OrderBy(static p => p.Key, StringComparer.Ordinal), resumed.OrderBy(static p => p.Key, StringComparer.Ordinal));
        Assert.All(resumed, static p => Assert.Equal(CrashRuns.Answer(p.Key), JsonSerializer.Deserialize<string>(p.Value)));
        output.WriteLine($"batch: {KillLoop.Kills} kills, {Items} items, {(DateTime.UtcNow - started).TotalMinutes:F1} min (seed {seed})");
    }

    /// <summary>
    /// Kills the host after a random 1 to <see cref="KillLoop.MaxCommitsBeforeKill"/> finished items, <see cref="KillLoop.Kills"/>
    /// times, checking the files after each kill, then lets a last run finish.
    /// </summary>
    /// <param name="mode">The host's mode: eval or batch.</param>
    /// <param name="target">The run folder or results file.</param>
    /// <param name="readFinished">Reads the ids of the finished items, asserting the file readable with at most the given number of torn lines.</param>
    /// <param name="seed">The seed of the kill points.</param>
    private static async Task KillAgainAndAgainAsync(string mode, string target, Func<int, HashSet<string>> readFinished, int seed)
    {
        var random = new Random(seed);
        var finished = new HashSet<string>(StringComparer.Ordinal);
        for (int kill = 1; kill <= KillLoop.Kills; kill++)
        {
            int killAfter = random.Next(1, KillLoop.MaxCommitsBeforeKill + 1);
            string where = $"{mode}, kill {kill} of {KillLoop.Kills} (after {killAfter} items, seed {seed})";
            var asked = new List<string>();
            var (committed, done) = await RunHostAsync(mode, target, killAfter, asked);
            Assert.False(done, $"{where}: the host finished before it was killed");
            Assert.True(committed.Count >= killAfter, $"{where}: only {committed.Count} items were reported finished");
            AssertAskedOnceAndNothingFinished(asked, finished, where);

            HashSet<string> now = readFinished(kill);
            string[] lost = [.. finished.Where(id => !now.Contains(id))];
            Assert.True(lost.Length == 0, $"{where}: finished items are missing: {string.Join(", ", lost.Take(10))}");
            Assert.True(now.Count >= finished.Count + committed.Count, $"{where}: {committed.Count} items were reported finished, but the file holds only {now.Count - finished.Count} new ones");
            string[] unasked = [.. now.Where(id => !finished.Contains(id) && !asked.Contains(id))];
            Assert.True(unasked.Length == 0, $"{where}: results of items that never reached the model: {string.Join(", ", unasked.Take(10))}");
            finished = now;
        }

        var lastAsked = new List<string>();
        var (_, completed) = await RunHostAsync(mode, target, killAfter: null, lastAsked);
        Assert.True(completed, $"{mode}: the last run, not killed, did not finish (seed {seed})");
        AssertAskedOnceAndNothingFinished(lastAsked, finished, $"{mode}, the last run (seed {seed})");
        Assert.Equal(Items, readFinished(KillLoop.Kills).Count);
    }

    private static void AssertAskedOnceAndNothingFinished(List<string> asked, HashSet<string> finished, string where)
    {
        string[] twice = [.. asked.GroupBy(static id => id).Where(static g => g.Count() > 1).Select(static g => g.Key)];
        Assert.True(twice.Length == 0, $"{where}: items reached the model twice in one run: {string.Join(", ", twice.Take(10))}");
        string[] again = [.. asked.Where(finished.Contains)];
        Assert.True(again.Length == 0, $"{where}: finished items reached the model again: {string.Join(", ", again.Take(10))}");
    }

    /// <summary>Runs the host; <paramref name="asked"/> receives the ids that reached its model.</summary>
    private static async Task<(List<string> Committed, bool Finished)> RunHostAsync(string mode, string target, int? killAfter, List<string> asked)
    {
        var lines = new List<string>();
        var result = await CrashHostProcess.RunAsync(
            Host,
            [mode, target, Items.ToString(CultureInfo.InvariantCulture), ModelDelayMs.ToString(CultureInfo.InvariantCulture)],
            environment: null,
            killAfter,
            lines);
        asked.AddRange(lines.Where(static l => l.StartsWith("asked ", StringComparison.Ordinal)).Select(static l => l["asked ".Length..]));
        return result;
    }

    /// <summary>Reads the finished cases of a run folder's cases file: each case once, at most <paramref name="maxTorn"/> torn lines.</summary>
    private static HashSet<string> FinishedCases(string path, int maxTorn)
    {
        var finished = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return finished;
        }

        int torn = 0;
        string[] lines = File.ReadAllLines(path);
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            try
            {
                using var line = JsonDocument.Parse(lines[i]);
                string id = line.RootElement.GetProperty("id").GetString()!;
                Assert.True(line.RootElement.TryGetProperty("error", out var error) is false || error.ValueKind == JsonValueKind.Null, $"{path}, line {i + 1}: case {id} failed: {error}");
                Assert.True(finished.Add(id), $"{path}, line {i + 1}: a second result of case {id}");
            }
            catch (JsonException)
            {
                Assert.True(++torn <= maxTorn, $"{path}, line {i + 1} is torn, and {maxTorn} torn lines at most were expected");
            }
        }

        return finished;
    }

    private static List<(string Id, string? Output, double? Score)> Scores(EvaluationRun run) =>
        [.. run.Cases.Select(static c => (c.Id, c.Output, c.GetValue(ExactMatchEvaluator.MetricName)))];
}
