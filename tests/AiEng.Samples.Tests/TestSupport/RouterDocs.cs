namespace AiEng.Samples.Tests.TestSupport;

/// <summary>The small Markdown corpus the RAG and web chat sample tests ask about: a router's warranty, installation and returns.</summary>
internal static class RouterDocs
{
    /// <summary>Writes <c>warranty.md</c>, <c>guide/install.md</c> and <c>returns.md</c> under <paramref name="docs"/> (created).</summary>
    public static void Write(string docs)
    {
        Directory.CreateDirectory(Path.Combine(docs, "guide"));
        File.WriteAllText(Path.Combine(docs, "warranty.md"), """
            # Warranty

            ## Routers

            Every router comes with a warranty of three years from the date of purchase.
            The warranty covers hardware faults but not damage from lightning.

            ## Cables

            Cables are guaranteed for one year.
            """);
        File.WriteAllText(Path.Combine(docs, "guide", "install.md"), """
            # Installation

            Place the router in a central spot, away from microwaves and thick walls.
            Connect the WAN port to the modem, then open the admin page at 192.168.1.1 to set a password.
            """);
        File.WriteAllText(Path.Combine(docs, "returns.md"), """
            # Returns

            Unused products can be returned within 30 days for a full refund; keep the receipt.
            """);
    }
}
