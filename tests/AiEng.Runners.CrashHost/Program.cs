// Runs an evaluation (EvaluationRunner into a run folder) or a batch (BatchRunner into a results file) of numbered
// questions against a small deterministic model, printing "asked <id>" when a question reaches the model, "committed <n>"
// after each finished item is written, and "done" at the end. A rerun on the same folder or file resumes, so a test can
// kill it at random points and check what was kept.
// Usage: AiEng.Runners.CrashHost eval|batch <run folder | results file> <item count> [model delay ms]
using System.Globalization;
using AiEng.Runners.CrashHost;

if (args.Length is not (3 or 4) || args[0] is not ("eval" or "batch"))
{
    Console.Error.WriteLine("usage: AiEng.Runners.CrashHost eval|batch <run folder | results file> <item count> [model delay ms]");
    return 2;
}

int items = int.Parse(args[2], CultureInfo.InvariantCulture);
var delay = TimeSpan.FromMilliseconds(args.Length == 4 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 0);
if (args[0] == "eval")
{
    await CrashRuns.EvaluateAsync(args[1], items, delay, Console.WriteLine);
}
else
{
    await CrashRuns.BatchAsync(args[1], items, delay, Console.WriteLine);
}

return 0;
