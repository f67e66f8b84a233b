using System.Diagnostics;
using System.Text;
using AiEng.Testing;

namespace AiEng.Samples.Tests.Security;

/// <summary>
/// The secrets audit of the samples: each sample runs as a process, as a user runs it, with a canary API key configured
/// for its chat model (and for fine-tuning) through environment variables, against AiEng.Testing's OpenAI-compatible
/// server, which accepts only that key, with logging at Trace. Its standard output and error and every file it writes
/// are then searched for the canary, which must appear nowhere. The server's log of authorized requests shows that the
/// key was in use. <c>samples/CostOptimization</c> is not run: it reads no configuration and starts its own servers.
/// </summary>
public sealed class SamplesSecretsAuditTests : IAsyncLifetime
{
    private static readonly string Canary = "sk-canary-" + Guid.NewGuid().ToString("N");

    private readonly string _folder = Directory.CreateTempSubdirectory("aieng-samples-secrets-").FullName;
    private OpenAITestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await OpenAITestServer.StartAsync(new() { ApiKey = Canary, FineTuningScript = _ => OpenAITestFineTuningScript.Succeeding(runningPolls: 1) });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData("Rag", "--docs {docs} --store {out}")]
    [InlineData("Evaluation", "--docs {docs} --out {out} --cache {out}/cache")]
    [InlineData("PromptEngineering", "")]
    [InlineData("FineTuning", "{out}")]
    [InlineData("QuickStart", "")]
    public async Task A_sample_run_with_a_canary_key_prints_and_writes_it_nowhere(string sample, string arguments)
    {
        string work = Directory.CreateDirectory(Path.Combine(_folder, sample)).FullName;
        string output = Path.Combine(work, "out");
        string docs = Directory.CreateDirectory(Path.Combine(work, "docs")).FullName;

        // Two of the repository's pages keep the runs short: the audit is about where the key goes, not about retrieval.
        foreach (string page in new[] { "resilience.md", "usage-and-cost.md" })
        {
            File.Copy(Path.Combine(RepositoryRoot, "docs", page), Path.Combine(docs, page));
        }

        (int exitCode, string stdout, string stderr) = await RunAsync(sample, arguments.Replace("{docs}", docs, StringComparison.Ordinal).Replace("{out}", output, StringComparison.Ordinal), work);

        Assert.True(exitCode == 0, $"{sample} exited with {exitCode}:\n{stdout}\n{stderr}");
        Assert.True(_server.Requests.Count > 0, $"{sample} sent no request to the server: the canary key was never used.\n{stdout}");
        Assert.DoesNotContain(Canary, stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, stderr, StringComparison.Ordinal);
        byte[] canary = Encoding.UTF8.GetBytes(Canary);
        var written = Directory.EnumerateFiles(work, "*", SearchOption.AllDirectories).ToArray();
        Assert.NotEmpty(written);
        Assert.All(written, file => Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(canary) < 0, $"{file} holds the canary key."));
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string sample, string arguments, string workingDirectory)
    {
        // The sample's build sits in its own bin folder beside the test's (same configuration and framework).
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        string assembly = Path.Combine(RepositoryRoot, "samples", sample, "bin", configuration, "net10.0", sample + ".dll");
        Assert.True(File.Exists(assembly), $"{assembly} is missing: build the solution first.");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        foreach (string argument in arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            start.ArgumentList.Add(argument);
        }

        string endpoint = _server.BaseAddress.ToString();
        foreach ((string key, string value) in new[]
        {
            ("AiEng__Chat__Provider", "OpenAI"),
            ("AiEng__Chat__Model", "gpt-4o-mini"),
            ("AiEng__Chat__Endpoint", endpoint),
            ("AiEng__Chat__ApiKey", Canary),
            ("AiEng__FineTuning__OpenAI__Endpoint", endpoint),
            ("AiEng__FineTuning__OpenAI__ApiKey", Canary),
            ("AiEng__FineTuning__Jobs__PollInterval", "00:00:00.050"),
            ("Logging__LogLevel__Default", "Trace"),
        })
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{sample} did not finish within 5 minutes:\n{await stdout}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AiEng.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (AiEng.sln) was not found above " + AppContext.BaseDirectory);
    }
}
