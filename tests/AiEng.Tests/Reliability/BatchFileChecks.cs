using System.Text.Json;

namespace AiEng.Tests.Reliability;

/// <summary>Reads a batch results file line by line, asserting that no item succeeded twice and that no more lines are torn than allowed.</summary>
internal static class BatchFileChecks
{
    /// <summary>Returns the ids of the items that succeeded (see <see cref="Read"/>).</summary>
    public static HashSet<string> Succeeded(string path, string where, int maxTorn) => [.. Read(path, where, maxTorn).Keys];

    /// <summary>
    /// Returns the value of each item that succeeded, as JSON text, by id. Fails on a second success of an id (or any line of
    /// an id after its success), on a line that is JSON but not a result, and on more than <paramref name="maxTorn"/> lines
    /// that are not whole JSON (a process killed mid-write leaves one; 0 where nothing was killed, and then the file must
    /// also end with a line break).
    /// </summary>
    public static Dictionary<string, string> Read(string path, string where, int maxTorn)
    {
        var succeeded = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return succeeded;
        }

        string text = File.ReadAllText(path);
        Assert.True(maxTorn > 0 || text.Length == 0 || text[^1] == '\n', $"{where}: the results file ends inside a line");
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int torn = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            JsonDocument line;
            try
            {
                line = JsonDocument.Parse(lines[i]);
            }
            catch (JsonException)
            {
                Assert.True(++torn <= maxTorn, $"{where}: line {i + 1} is torn, and {maxTorn} torn lines at most were expected: {lines[i]}");
                continue;
            }

            using (line)
            {
                string id = line.RootElement.GetProperty("id").GetString()!;
                string status = line.RootElement.GetProperty("status").GetString()!;
                Assert.False(succeeded.ContainsKey(id), $"{where}: line {i + 1} is a second result of '{id}', which had already succeeded");
                Assert.True(status is "succeeded" or "failed", $"{where}: line {i + 1} has status '{status}'");
                if (status == "succeeded")
                {
                    succeeded[id] = line.RootElement.GetProperty("value").GetRawText();
                }
            }
        }

        return succeeded;
    }
}
