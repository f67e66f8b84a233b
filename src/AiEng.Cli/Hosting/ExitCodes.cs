namespace AiEng.Cli;

/// <summary>The exit codes of every <c>aieng</c> command (documented in docs/cli.md).</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked: 0.</summary>
    public const int Ok = 0;

    /// <summary>A gate or a check failed (<c>eval gate</c>, <c>prompt check</c>, <c>finetune check</c>): 1.</summary>
    public const int CheckFailed = 1;

    /// <summary>Bad usage or bad input: an unknown option, a missing file, a file that does not parse: 2.</summary>
    public const int BadInput = 2;

    /// <summary>The operation failed for another reason (a model, a server or a store returned an error): 3.</summary>
    public const int Failed = 3;

    /// <summary>Cancelled with Ctrl+C (SIGINT): 130, as shells report a process stopped by SIGINT.</summary>
    public const int Cancelled = 130;
}
