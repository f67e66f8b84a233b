using AiEng.Retrieval;
using AiEng.Shared;
using AiEng.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.AI;

// RS0026 warns against several overloads with optional parameters because adding one later can break callers; these two
// ship together and differ in the type of their required second parameter, so no call is ambiguous.
#pragma warning disable RS0026

/// <summary>Adds <see cref="RetrievalChatClient"/> to a chat client pipeline.</summary>
public static class RetrievalChatClientBuilderExtensions
{
    /// <summary>
    /// Adds retrieval-augmented generation to the pipeline: every call retrieves chunks for the last user message (or, with
    /// <see cref="RetrievalOptions.ConversationQuery"/>, for a follow-up condensed into a standalone question) with
    /// <paramref name="retriever"/>, gives them to the model as numbered sources, and returns the answer with the cited
    /// sources (<see cref="CitationExtensions.GetCitations(ChatResponse)"/>) and the query searched
    /// (<see cref="CitationExtensions.GetRetrievalQuery(ChatResponse)"/>).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="retriever">Finds the chunks for a question.</param>
    /// <param name="configure">Changes the options of this pipeline; it receives new default options.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="retriever"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option set by <paramref name="configure"/> is out of range (the message names it).</exception>
    /// <remarks>
    /// The options are validated here, when the middleware is added. Without <see cref="RetrievalOptions.TokenCounter"/>, the
    /// <see cref="ITokenCounter"/> registered in the builder's services is used, else <see cref="TiktokenTokenCounter.O200kBase"/>.
    /// </remarks>
    public static ChatClientBuilder UseRetrieval(this ChatClientBuilder builder, IRetriever retriever, Action<RetrievalOptions>? configure = null)
    {
        Throw.IfNull(builder);
        Throw.IfNull(retriever);
        return builder.UseRetrieval(_ => retriever, configure);
    }

    /// <summary>
    /// Adds retrieval-augmented generation to the pipeline with a retriever created from the builder's services, for
    /// example one registered in dependency injection.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="retrieverFactory">Creates the retriever from the services when the pipeline is built.</param>
    /// <param name="configure">Changes the options of this pipeline; it receives new default options.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="retrieverFactory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option set by <paramref name="configure"/> is out of range (the message names it).</exception>
    /// <remarks>
    /// The options are validated here, when the middleware is added. Without <see cref="RetrievalOptions.TokenCounter"/>, the
    /// <see cref="ITokenCounter"/> registered in the builder's services is used, else <see cref="TiktokenTokenCounter.O200kBase"/>.
    /// <c>Build</c> throws <see cref="InvalidOperationException"/> when <paramref name="retrieverFactory"/> returns <see langword="null"/>,
    /// or when <see cref="ConversationQueryOptions.ChatModel"/> names a chat model the services do not hold.
    /// </remarks>
    public static ChatClientBuilder UseRetrieval(this ChatClientBuilder builder, Func<IServiceProvider, IRetriever> retrieverFactory, Action<RetrievalOptions>? configure = null)
    {
        Throw.IfNull(builder);
        Throw.IfNull(retrieverFactory);
        var options = new RetrievalOptions();
        configure?.Invoke(options);
        options = options.Validate();
        return builder.Use((innerClient, services) =>
        {
            var retriever = retrieverFactory(services)
                ?? throw new InvalidOperationException($"The retriever factory given to {nameof(UseRetrieval)} returned null; return an {nameof(IRetriever)}.");
            var built = options.Validate();
            built.TokenCounter ??= services.GetService<ITokenCounter>();
            if (built.ConversationQuery.ChatModel is { } model)
            {
                built.ConversationQuery.ChatClient = ResolveChatModel(services, model);
                built.ConversationQuery.ChatModel = null;
            }

            return new RetrievalChatClient(innerClient, retriever, built, services.GetService<ILoggerFactory>()?.CreateLogger<RetrievalChatClient>());
        });
    }

    /// <summary>The keyed chat client named <paramref name="name"/> in <paramref name="services"/>.</summary>
    private static IChatClient ResolveChatModel(IServiceProvider services, string name)
    {
        const string Option = nameof(RetrievalOptions) + "." + nameof(RetrievalOptions.ConversationQuery) + "." + nameof(ConversationQueryOptions.ChatModel);
        return services.GetKeyedService<IChatClient>(name)
            ?? throw new InvalidOperationException(
                $"{Option} is '{name}', but the services hold no chat client of that name: configure the model under AiEng:ChatModels:{name} "
                + $"(for example AiEng__ChatModels__{name}__Provider=OpenAI and AiEng__ChatModels__{name}__Model=gpt-4o-mini), register one with "
                + $"services.AddKeyedSingleton<IChatClient>(\"{name}\", ...), or set {nameof(ConversationQueryOptions.ChatClient)} instead.");
    }
}
