using System.Globalization;

namespace AiEng.TestSupport;

/// <summary>
/// Kills an ingesting crash host again and again at random points and checks the store after every kill: every document
/// reported committed is stored whole, none is partial, nothing stored is ingested twice; a last run finishes the rest.
/// The number of kills is <c>AIENG_KILL_LOOPS</c> (default 3, as in CI; <c>eng/kill-loop.sh</c> runs 50 and more).
/// </summary>
internal static class KillLoop
{
    /// <summary>Gets the number of kills to run: <c>AIENG_KILL_LOOPS</c>, or 3.</summary>
    public static int Kills { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("AIENG_KILL_LOOPS"), NumberStyles.None, CultureInfo.InvariantCulture, out int kills) && kills > 0 ? kills : 3;

    /// <summary>The most commits a run is allowed before it is killed.</summary>
    public const int MaxCommitsBeforeKill = 25;

    /// <summary>Gets how many documents a loop of <see cref="Kills"/> kills ingests: more than the kills can commit.</summary>
    public static int Documents => (Kills * MaxCommitsBeforeKill) + 50;

    /// <summary>Runs the loop.</summary>
    /// <param name="runHost">Runs the host, killing it after the given number of new commits (or letting it finish for <see langword="null"/>); returns the ids it reported committed and whether it finished.</param>
    /// <param name="readStored">Reads the store, asserting every document whole, and returns the stored ids.</param>
    /// <param name="seed">The seed of the kill points, printed in failures so that a run can be repeated.</param>
    /// <returns>The kills made and the documents stored at the end.</returns>
    public static async Task<(int Kills, int Stored)> RunAsync(
        Func<int?, Task<(List<string> Committed, bool Finished)>> runHost, Func<Task<Dictionary<string, int>>> readStored, int seed)
    {
        var random = new Random(seed);
        var stored = new HashSet<string>(StringComparer.Ordinal);
        for (int kill = 1; kill <= Kills; kill++)
        {
            int killAfter = random.Next(1, MaxCommitsBeforeKill + 1);
            string where = $"kill {kill} of {Kills} (after {killAfter} commits, seed {seed})";
            var (committed, finished) = await runHost(killAfter);
            Assert.False(finished, $"{where}: the host finished before it was killed");
            Assert.True(committed.Count >= killAfter, $"{where}: only {committed.Count} commits were reported");
            Assert.False(committed.Any(stored.Contains), $"{where}: a document already stored was ingested again: {string.Join(", ", committed.Where(stored.Contains))}");

            Dictionary<string, int> now = await readStored();
            string[] lost = [.. stored.Concat(committed).Where(id => !now.ContainsKey(id))];
            Assert.True(lost.Length == 0, $"{where}: committed documents are missing: {string.Join(", ", lost)}");

            // At most one more: committed by the host but killed before it printed so.
            Assert.InRange(now.Count, stored.Count + committed.Count, stored.Count + committed.Count + 1);
            stored = [.. now.Keys];
        }

        var (last, done) = await runHost(null);
        Assert.True(done, "the last run, not killed, did not finish");
        Assert.False(last.Any(stored.Contains), "the last run ingested a stored document again");
        Dictionary<string, int> final = await readStored();
        Assert.Equal(Documents, final.Count);
        return (Kills, final.Count);
    }
}
