using System.CommandLine;

namespace AiEng.Cli;

/// <summary>Creates commands whose help shows an example, and whose action gets a <see cref="CliContext"/>.</summary>
internal static class CliCommand
{
    /// <summary>Creates a command.</summary>
    /// <param name="name">The command's name.</param>
    /// <param name="description">What it does (one or two sentences).</param>
    /// <param name="examples">Example command lines, shown in <c>--help</c>.</param>
    /// <returns>The command.</returns>
    public static Command Create(string name, string description, params string[] examples)
        => new(name, Describe(description, examples));

    /// <summary>The description followed by an <c>Examples:</c> section.</summary>
    public static string Describe(string description, params string[] examples)
        => examples.Length == 0
            ? description
            : description + Environment.NewLine + Environment.NewLine + "Examples:" + Environment.NewLine
              + string.Join(Environment.NewLine, examples.Select(e => "  " + e));

    /// <summary>Sets the command's action: <paramref name="action"/> runs with the invocation's context and returns the exit code.</summary>
    /// <param name="command">The command.</param>
    /// <param name="application">Where output goes.</param>
    /// <param name="action">The command's work.</param>
    /// <returns><paramref name="command"/>.</returns>
    public static Command WithAction(this Command command, CliApplication application, Func<CliContext, CancellationToken, Task<int>> action)
    {
        command.SetAction((parseResult, cancellationToken) => action(new CliContext(parseResult, application.Output, application.Error), cancellationToken));
        return command;
    }
}
