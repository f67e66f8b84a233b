using System.Diagnostics;

namespace AiEng.Tests.TestSupport;

/// <summary>Headless Chromium (Debian package <c>chromium</c>) for tests that render HTML; <see cref="Path"/> is null when it is not installed.</summary>
internal static class Chromium
{
    public static string? Path { get; } = Find();

    /// <summary>Loads a file in headless Chromium, lets its scripts run and returns the serialised DOM.</summary>
    public static async Task<string> DumpDomAsync(string htmlPath)
    {
        string profile = Directory.CreateTempSubdirectory("aieng-chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo(Path ?? throw new InvalidOperationException("chromium is not installed."))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", $"--user-data-dir={profile}", "--virtual-time-budget=2000", "--dump-dom", new Uri(htmlPath).AbsoluteUri })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish within 90 s: {await errors}");
            }

            string dom = await output;
            return dom.Length > 0 ? dom : throw new InvalidOperationException($"chromium printed no DOM (exit {process.ExitCode}): {await errors}");
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string? Find()
    {
        string? configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
        {
            return configured;
        }

        var directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return new[] { "chromium", "chromium-browser", "google-chrome" }
            .SelectMany(name => directories.Select(d => System.IO.Path.Combine(d, name)))
            .FirstOrDefault(File.Exists);
    }
}

/// <summary>A fact that is skipped, with the install command as the reason, when headless Chromium is not installed.</summary>
internal sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Path is null)
        {
            Skip = "chromium is not installed: this test renders the HTML report in headless Chromium (apt-get install -y chromium, or set CHROMIUM_PATH).";
        }
    }
}
