using System.Text.Json;
using AiEng.Evaluation;
using AiEng.FineTuning;
using AiEng.Prompts;
using Microsoft.Extensions.Options;

namespace AiEng.Cli;

/// <summary>Maps an exception to one line on standard error and an exit code: the one error handler of every command.</summary>
internal static class CliErrors
{
    /// <summary>Writes <paramref name="exception"/> as one line to <paramref name="error"/> and returns its exit code.</summary>
    /// <param name="exception">What went wrong.</param>
    /// <param name="error">Standard error.</param>
    /// <returns><see cref="ExitCodes.BadInput"/> for bad input, <see cref="ExitCodes.Cancelled"/> on cancellation, else <see cref="ExitCodes.Failed"/>.</returns>
    public static int Report(Exception exception, TextWriter error)
    {
        if (exception is OperationCanceledException)
        {
            error.WriteLine("aieng: cancelled; nothing partial was written (finished work is kept).");
            return ExitCodes.Cancelled;
        }

        int code = IsBadInput(exception) ? ExitCodes.BadInput : ExitCodes.Failed;
        error.WriteLine("aieng: error: " + OneLine(exception));
        return code;
    }

    /// <summary>Whether the exception says the user's input (arguments, files, configuration) is wrong.</summary>
    public static bool IsBadInput(Exception exception) => exception is
        CliInputException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException
        or PromptException or EvaluationDataException or FineTuningDataException or JsonException or FormatException
        or InvalidDataException or OptionsValidationException or ArgumentException;

    /// <summary>The exception's message (and its inner messages when they add the location) on one line.</summary>
    public static string OneLine(Exception exception)
    {
        string message = exception.Message;

        // Configuration's JSON provider says which file failed and puts the parser's line and position in the inner exception.
        if (exception is InvalidDataException)
        {
            for (Exception? inner = exception.InnerException; inner is not null; inner = inner.InnerException)
            {
                if (!message.Contains(inner.Message, StringComparison.Ordinal))
                {
                    message += " " + inner.Message;
                }
            }
        }

        return string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
