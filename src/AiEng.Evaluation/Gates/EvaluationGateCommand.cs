using System.Globalization;
using AiEng.Shared;

namespace AiEng.Evaluation;

/// <summary>
/// The gate as a command for CI: reads a run report (and optionally a baseline) and exits non-zero when a check fails.
/// Call it from a console app's <c>Main</c>:
/// <c>--run current.json [--baseline baseline.json] [--min "Token F1=0.6"]... [--max "Cost=0.01"]... [--no-regression "Token F1[=0.02]"]...</c>.
/// </summary>
public static class EvaluationGateCommand
{
    /// <summary>Exit code when every check passed: 0.</summary>
    public const int Passed = 0;

    /// <summary>Exit code when a check failed: 1.</summary>
    public const int Failed = 1;

    /// <summary>Exit code for bad arguments or unreadable reports: 2.</summary>
    public const int UsageError = 2;

    /// <summary>Runs the gate command.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Where the checks are printed.</param>
    /// <param name="cancellationToken">Cancels reading the reports.</param>
    /// <returns><see cref="Passed"/>, <see cref="Failed"/> or <see cref="UsageError"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(args);
        Throw.IfNull(output);
        string? runPath = null, baselinePath = null;
        var gate = new EvaluationGate();
        try
        {
            for (int i = 0; i < args.Count; i++)
            {
                string name = args[i];
                string value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"'{name}' needs a value.");
                switch (name)
                {
                    case "--run": runPath = value; break;
                    case "--baseline": baselinePath = value; break;
                    case "--min": var (minMetric, min) = Split(value, required: true); gate.AtLeast(minMetric, min); break;
                    case "--max": var (maxMetric, max) = Split(value, required: true); gate.AtMost(maxMetric, max); break;
                    case "--no-regression": var (metric, tolerance) = Split(value, required: false); gate.NoRegression(metric, tolerance); break;
                    default: throw new ArgumentException($"unknown option '{name}'.");
                }
            }

            if (runPath is null)
            {
                throw new ArgumentException("--run <report.json> is required.");
            }

            var run = await EvaluationRun.LoadAsync(runPath, cancellationToken).ConfigureAwait(false);
            var baseline = baselinePath is null ? null : await EvaluationRun.LoadAsync(baselinePath, cancellationToken).ConfigureAwait(false);
            var result = gate.Evaluate(run, baseline);
            await output.WriteLineAsync(result.ToString()).ConfigureAwait(false);
            return result.Passed ? Passed : Failed;
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or EvaluationDataException or UnauthorizedAccessException)
        {
            await output.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            await output.WriteLineAsync("usage: --run current.json [--baseline baseline.json] [--min \"Metric=0.6\"]... [--max \"Metric=0.1\"]... [--no-regression \"Metric[=0.02]\"]...").ConfigureAwait(false);
            return UsageError;
        }
    }

    private static (string Metric, double Value) Split(string text, bool required)
    {
        int equals = text.LastIndexOf('=');
        if (equals < 0)
        {
            return required ? throw new ArgumentException($"expected 'Metric=value' but found '{text}'.") : (text, 0);
        }

        return double.TryParse(text.AsSpan(equals + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? (text[..equals], value)
            : throw new ArgumentException($"'{text[(equals + 1)..]}' in '{text}' is not a number.");
    }
}
