using AiEng.Fuzz;
using SharpFuzz;

// AiEng.Fuzz <target>                 run <target> under afl-fuzz (eng/fuzz.sh starts it; outside AFL it runs stdin once)
// AiEng.Fuzz replay <target> <path>...  run files (or every file of folders) through <target> without AFL; exit 1 on a finding
// AiEng.Fuzz seed <corpus folder>      write the generated seeds (the PDF and DOCX files) under <corpus folder>/<target>/
// AiEng.Fuzz list                      print the target names, one a line
if (args.Length == 0)
{
    Console.Error.WriteLine($"usage: AiEng.Fuzz <target> | replay <target> <path>... | seed <corpus folder> | list{Environment.NewLine}targets: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");
    return 2;
}

switch (args[0])
{
    case "list":
        foreach (FuzzTarget target in FuzzTargets.All)
        {
            Console.WriteLine(target.Name);
        }

        return 0;

    case "seed":
        SeedFiles.Write(args.Length > 1 ? args[1] : "corpus");
        return 0;

    case "replay" when args.Length >= 3:
        return Replay(FuzzTargets.Get(args[1]), args[2..]);

    default:
        FuzzTarget fuzzed = FuzzTargets.Get(args[0]);

        // Out of process: a stack overflow or a crash of the runtime is reported to AFL as a crash, not lost with the fork server.
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            fuzzed.Run(memory.ToArray());
        });
        return 0;
}

static int Replay(FuzzTarget target, string[] paths)
{
    int findings = 0;
    foreach (string file in paths.SelectMany<string, string>(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal) : [p]))
    {
        try
        {
            target.Run(File.ReadAllBytes(file));
            Console.WriteLine($"ok       {file}");
        }
        catch (Exception ex)
        {
            findings++;
            Console.WriteLine($"FINDING  {file}: {ex}");
        }
    }

    return findings == 0 ? 0 : 1;
}
