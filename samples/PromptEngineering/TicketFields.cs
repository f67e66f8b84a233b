namespace AiEng.Samples.PromptEngineering;

/// <summary>The structured answer: a category and the order number, if the ticket names one.</summary>
/// <param name="Category">billing, account, delivery or other.</param>
/// <param name="OrderNumber">The order number the ticket names, if any.</param>
internal sealed record TicketFields(string Category, string? OrderNumber);
