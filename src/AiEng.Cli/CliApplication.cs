using System.CommandLine;
using AiEng.Cli.Cost;
using AiEng.Cli.Evaluation;
using AiEng.Cli.FineTuning;
using AiEng.Cli.Prompts;
using AiEng.Cli.Quantize;
using AiEng.Cli.Retrieval;

namespace AiEng.Cli;

/// <summary>The <c>aieng</c> tool: its command tree, parse-error handling and the one error handler.</summary>
internal sealed class CliApplication
{
    private CliApplication(TextWriter output, TextWriter error)
    {
        Output = output;
        Error = error;
    }

    /// <summary>Standard output.</summary>
    public TextWriter Output { get; }

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>Parses <paramref name="args"/>, runs the command and returns its exit code (<see cref="ExitCodes"/>).</summary>
    /// <param name="args">The command line.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="cancellationToken">Cancels the command (Ctrl+C also does).</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var application = new CliApplication(output, error);
        RootCommand root = application.CreateRoot();
        ParseResult parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0 && !HelpRequested(parseResult))
        {
            // Bad usage: each parse error on its own line, with where to read more; exit code 2 (System.CommandLine's own is 1).
            foreach (var parseError in parseResult.Errors)
            {
                error.WriteLine("aieng: error: " + parseError.Message);
            }

            error.WriteLine($"Run '{UsageOf(parseResult)} --help' for usage.");
            return ExitCodes.BadInput;
        }

        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,

            // Ctrl+C cancels the action's token; the action stops at the next safe point and returns 130. Give it time to do so.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
        };
        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken);
        }
        catch (Exception ex)
        {
            return CliErrors.Report(ex, error);
        }
    }

    private static bool HelpRequested(ParseResult parseResult)
        => parseResult.Tokens.Any(t => t.Value is "--help" or "-h" or "-?");

    private static string UsageOf(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command is RootCommand ? "aieng" : result.Command.Name);
        }

        return string.Join(' ', names);
    }

    private RootCommand CreateRoot()
    {
        var root = new RootCommand(CliCommand.Describe(
            "aieng: AiEng from the command line. Every command reads the same configuration as an AiEng application: appsettings.json in the current directory, AIENG__/AiEng__ environment variables, then --config FILE. Exit codes: 0 ok, 1 a gate or check failed, 2 bad usage or input, 3 the operation failed, 130 cancelled.",
            "aieng prompt check prompts/",
            "aieng eval gate runs/pr/report.json --rules gate.json"))
        {
            CliOptions.Config,
            CliOptions.Json,
        };
        root.Add(PromptCommands.Create(this));
        root.Add(IngestCommand.Create(this));
        root.Add(SearchCommand.Create(this));
        root.Add(AskCommand.Create(this));
        root.Add(EvaluationCommands.Create(this));
        root.Add(FineTuningCommands.Create(this));
        root.Add(CostReportCommand.Create(this));
        root.Add(QuantizeCommand.Create(this));
        return root;
    }
}
