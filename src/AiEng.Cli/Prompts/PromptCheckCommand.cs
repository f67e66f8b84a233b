using System.CommandLine;
using AiEng.Prompts;

namespace AiEng.Cli.Prompts;

/// <summary><c>aieng prompt check DIR</c>: <see cref="PromptRegistry.CheckDirectory"/>.</summary>
internal static class PromptCheckCommand
{
    private static readonly Argument<string> Directory = new("DIR") { Description = "The directory of prompt files (searched recursively; *.liquid files are partials)." };

    /// <summary>Creates the command.</summary>
    public static Command Create(CliApplication application)
    {
        Command command = CliCommand.Create(
            "check",
            "Parses and compiles every prompt file under DIR and renders those that declare a sample; prints every problem as FILE:LINE:COLUMN: message. Exit code 1 when a file has a problem.",
            "aieng prompt check prompts/",
            "aieng prompt check prompts/ --json");
        command.Add(Directory);
        return command.WithAction(application, (context, _) =>
        {
            string directory = context.ExistingDirectory(context.GetValue(Directory), "DIR");
            int files = System.IO.Directory.EnumerateFiles(directory, "*" + PromptRegistry.PromptExtension, SearchOption.AllDirectories).Count();
            IReadOnlyList<PromptException> problems = PromptRegistry.CheckDirectory(directory);
            context.WriteResult(
                new
                {
                    directory,
                    files,
                    valid = problems.Count == 0,
                    problems = problems.Select(p => new { file = p.File, line = p.Line, column = p.Column, input = p.InputName, message = CliErrors.OneLine(p) }),
                },
                output =>
                {
                    foreach (PromptException problem in problems)
                    {
                        output.WriteLine(CliErrors.OneLine(problem));
                    }

                    output.WriteLine(problems.Count == 0
                        ? $"{files} prompt files checked: all valid."
                        : $"{files} prompt files checked: {problems.Count} problems.");
                });
            return Task.FromResult(problems.Count == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed);
        });
    }
}
