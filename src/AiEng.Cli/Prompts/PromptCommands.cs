using System.CommandLine;

namespace AiEng.Cli.Prompts;

/// <summary>The <c>prompt</c> command group.</summary>
internal static class PromptCommands
{
    /// <summary>Creates <c>prompt</c> with <c>render</c> and <c>check</c>.</summary>
    public static Command Create(CliApplication application) => new("prompt", "Render and check prompt files (*.prompty).")
    {
        PromptRenderCommand.Create(application),
        PromptCheckCommand.Create(application),
    };
}
