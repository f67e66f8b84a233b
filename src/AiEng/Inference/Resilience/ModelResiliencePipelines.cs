using AiEng.Composition;
using AiEng.Providers;
using AiEng.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace AiEng.Inference;

/// <summary>
/// The keys under which <c>AddAiEng</c> puts one resilience pipeline per model in Polly's registry
/// (<c>ResiliencePipelineRegistry&lt;string&gt;</c>, Polly.Extensions): <c>aieng:chat</c> for the default chat model,
/// <c>aieng:chat:&lt;name&gt;</c> for a named one, <c>aieng:embeddings</c> and <c>aieng:embeddings:&lt;name&gt;</c> for
/// embedding models.
/// </summary>
/// <remarks>
/// <para>
/// AiEng's pipeline of a key is built from <see cref="ResilienceOptions"/> bound from <c>AiEng:Resilience</c> (reloaded
/// when the configuration changes) with <see cref="ModelResiliencePipelineBuilderExtensions.AddModelResilience"/>, and
/// carries Polly's telemetry (logs and metrics of every retry, timeout and circuit change).
/// </para>
/// <para>
/// To replace it, register your own under the same key with
/// <c>services.AddResiliencePipeline(ModelResiliencePipelines.ChatKey(null), (builder, context) => ...)</c>, before or after
/// <c>AddAiEng</c>: AiEng adds its own only for keys the application left free. To extend it, call <c>AddModelResilience</c>
/// in your builder and add your strategies (a rate limiter, a retry or timeout of your own) around or inside it.
/// </para>
/// <para>
/// Hedging and fallback, which Polly offers only on typed pipelines, go in a typed pipeline registered under the same key:
/// <c>services.AddResiliencePipeline&lt;string, ChatResponse&gt;(ChatKey(...), ...)</c> for a chat model,
/// <c>services.AddResiliencePipeline&lt;string, GeneratedEmbeddings&lt;Embedding&lt;float&gt;&gt;&gt;(EmbeddingsKey(...), ...)</c>
/// for an embedding model. It does not replace the untyped pipeline of the key but runs around it: the model's
/// non-streaming calls (every embedding call) run through the typed pipeline, and each of its attempts through the untyped
/// one (AiEng's, or yours under that key). Streaming chat calls run through the untyped pipeline only. AiEng never registers
/// a typed pipeline itself.
/// </para>
/// </remarks>
public static class ModelResiliencePipelines
{
    /// <summary>The prefix of every key AiEng uses in Polly's registry.</summary>
    public const string KeyPrefix = "aieng:";

    /// <summary>Gets the registry key of a chat model's pipeline.</summary>
    /// <param name="modelName">The name of a keyed model (<c>AiEng:ChatModels:&lt;name&gt;</c>), spelled as registered, or <see langword="null"/> for the default chat model.</param>
    /// <returns><c>aieng:chat</c> or <c>aieng:chat:&lt;name&gt;</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="modelName"/> is empty or whitespace.</exception>
    public static string ChatKey(string? modelName) => KeyOf("chat", modelName);

    /// <summary>Gets the registry key of an embedding model's pipeline.</summary>
    /// <param name="modelName">The name of a keyed model (<c>AiEng:EmbeddingModels:&lt;name&gt;</c>), spelled as registered, or <see langword="null"/> for the default embedding model.</param>
    /// <returns><c>aieng:embeddings</c> or <c>aieng:embeddings:&lt;name&gt;</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="modelName"/> is empty or whitespace.</exception>
    public static string EmbeddingsKey(string? modelName) => KeyOf("embeddings", modelName);

    /// <summary>
    /// Makes the application's services hold Polly's registry and makes AiEng add its pipelines to it when the registry is
    /// created, after every pipeline the application registered, so that the application's win whatever the order.
    /// </summary>
    /// <param name="services">The service collection.</param>
    internal static void AddTo(IServiceCollection services)
    {
        services.AddResiliencePipelineRegistry<string>();

        // Polly's registry takes the first builder added for a key, and adds builders in registration order; AiEng adds its
        // own once Polly has added the application's, by wrapping the factory Polly registered for the registry.
        for (int i = services.Count - 1; i >= 0; i--)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType == typeof(ResiliencePipelineRegistry<string>) && !descriptor.IsKeyedService)
            {
                if (descriptor.ImplementationFactory is { } create && descriptor.Lifetime == ServiceLifetime.Singleton)
                {
                    services[i] = ServiceDescriptor.Singleton(provider =>
                    {
                        var registry = (ResiliencePipelineRegistry<string>)create(provider);
                        AddDefaults(registry, provider);
                        return registry;
                    });
                }

                return;
            }
        }
    }

    /// <summary>Adds AiEng's pipeline for every model known now, under the keys the application left free.</summary>
    internal static void AddDefaults(ResiliencePipelineRegistry<string> registry, IServiceProvider services)
    {
        TryAdd(registry, services, ChatKey(null));
        TryAdd(registry, services, EmbeddingsKey(null));
        if (services.GetService<AiEngRegistry>() is { } models)
        {
            // The named models of the options and those the application serves itself; a name resolved later gets its
            // pipeline then (GetOrAdd).
            var (chat, embeddings) = NamedModels(services, models);
            foreach (var name in chat.Union(models.Chat.CustomNames, StringComparer.OrdinalIgnoreCase))
            {
                TryAdd(registry, services, ChatKey(name));
            }

            foreach (var name in embeddings.Union(models.Embeddings.CustomNames, StringComparer.OrdinalIgnoreCase))
            {
                TryAdd(registry, services, EmbeddingsKey(name));
            }
        }
    }

    private static (IEnumerable<string> Chat, IEnumerable<string> Embeddings) NamedModels(IServiceProvider services, AiEngRegistry models)
    {
        try
        {
            var options = services.GetRequiredService<IOptions<AiEngOptions>>().Value;
            return (options.ChatModels.Keys, options.EmbeddingModels.Keys);
        }
        catch (OptionsValidationException)
        {
            // Invalid options are reported by start-up validation and when a model is resolved, not by Polly's registry; the
            // names in AiEng's configuration section still get their pipelines.
            return (Children(models, nameof(AiEngOptions.ChatModels)), Children(models, nameof(AiEngOptions.EmbeddingModels)));
        }
    }

    private static IEnumerable<string> Children(AiEngRegistry models, string section) =>
        models.Configuration?.GetSection(section).GetChildren().Select(child => child.Key) ?? [];

    /// <summary>Gets the pipeline of a model, adding AiEng's under <paramref name="key"/> if nothing is registered there.</summary>
    internal static ResiliencePipeline GetOrAdd(IServiceProvider services, string key)
    {
        var registry = services.GetRequiredService<ResiliencePipelineRegistry<string>>();
        TryAdd(registry, services, key);
        return registry.GetPipeline(key);
    }

    /// <summary>Gets the typed pipeline the application registered under a model's key, if any (AiEng registers none).</summary>
    /// <typeparam name="TResult">The result type of the model's non-streaming calls.</typeparam>
    internal static ResiliencePipeline<TResult>? GetTyped<TResult>(IServiceProvider services, string key) =>
        services.GetRequiredService<ResiliencePipelineRegistry<string>>().TryGetPipeline<TResult>(key, out var pipeline) ? pipeline : null;

    /// <summary>
    /// Resolves the pipelines registered under <paramref name="key"/> for <c>UseResilience(key)</c>: the untyped one
    /// (<see cref="ResiliencePipeline.Empty"/> when only a typed one is registered) and the typed one of
    /// <typeparamref name="TResult"/>, if any.
    /// </summary>
    /// <typeparam name="TResult">The result type of the non-streaming calls.</typeparam>
    /// <exception cref="InvalidOperationException">There is no registry, or neither pipeline is registered under the key.</exception>
    internal static (ResiliencePipeline Pipeline, ResiliencePipeline<TResult>? Typed) Resolve<TResult>(IServiceProvider services, string key)
    {
        var typeName = TypeName(typeof(TResult));
        var provider = services.GetService<ResiliencePipelineProvider<string>>()
            ?? throw new InvalidOperationException(
                $"UseResilience(\"{key}\") needs Polly's pipeline registry in the builder's services: register the pipeline with services.AddResiliencePipeline(\"{key}\", builder => ...) (Polly.Extensions) or call AddAiEng, and build the client with those services.");
        var hasPipeline = provider.TryGetPipeline(key, out var pipeline);
        var hasTyped = provider.TryGetPipeline<TResult>(key, out var typed);
        return hasPipeline || hasTyped
            ? (pipeline ?? ResiliencePipeline.Empty, typed)
            : throw new InvalidOperationException(
                $"No resilience pipeline is registered under the key '{key}'. Register one with services.AddResiliencePipeline(\"{key}\", builder => ...) or, for hedging and fallback, services.AddResiliencePipeline<string, {typeName}>(\"{key}\", builder => ...) (Polly.Extensions); AiEng's own keys are '{ChatKey(null)}', '{ChatKey("<name>")}', '{EmbeddingsKey(null)}' and '{EmbeddingsKey("<name>")}'.");
    }

    /// <summary>Writes a type as in C#: <c>GeneratedEmbeddings&lt;Embedding&lt;float&gt;&gt;</c> rather than <c>GeneratedEmbeddings`1</c>.</summary>
    private static string TypeName(Type type)
    {
        if (type == typeof(float))
        {
            return "float";
        }

        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var name = type.Name;
        return $"{name[..name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>";
    }

    private static void TryAdd(ResiliencePipelineRegistry<string> registry, IServiceProvider services, string key) =>
        registry.TryAddBuilder(key, (builder, context) =>
        {
            var monitor = services.GetRequiredService<IOptionsMonitor<ResilienceOptions>>();
            context.EnableReloads(monitor);
            builder.AddModelResilience(monitor.CurrentValue);
        });

    private static string KeyOf(string kind, string? modelName)
    {
        if (modelName is null)
        {
            return KeyPrefix + kind;
        }

        Throw.IfNullOrWhitespace(modelName);
        return $"{KeyPrefix}{kind}:{modelName}";
    }
}
