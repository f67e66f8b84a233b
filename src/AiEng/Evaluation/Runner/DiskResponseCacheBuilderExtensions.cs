using AiEng.Evaluation;
using AiEng.Shared;

namespace Microsoft.Extensions.AI;

/// <summary>Adds a disk response cache to a chat pipeline.</summary>
public static class DiskResponseCacheBuilderExtensions
{
    /// <summary>
    /// Caches responses in files under <paramref name="directory"/> through MEAI's <see cref="DistributedCachingChatClient"/>
    /// over a <see cref="DiskResponseCache"/>: a repeated request with the same messages and options is answered from disk.
    /// Place it outside <c>UseResilience</c> so a cached answer skips retries too.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="directory">The cache directory; created when missing.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null or empty.</exception>
    public static ChatClientBuilder UseDiskResponseCache(this ChatClientBuilder builder, string directory)
    {
        Throw.IfNull(builder);
        return builder.UseDistributedCache(new DiskResponseCache(directory));
    }
}
