using AiEng.Inference;
using AiEng.Shared;

namespace Microsoft.Extensions.AI;

/// <summary>Adds a disk response cache to a chat pipeline.</summary>
public static class DiskResponseCacheBuilderExtensions
{
    /// <summary>
    /// Caches responses in files under <paramref name="directory"/> through MEAI's <see cref="DistributedCachingChatClient"/>
    /// over a <see cref="FileSystemDistributedCache"/>: a repeated request with the same messages and options is answered
    /// from disk, also by a later process, with an identical response and no model call. Place it outside
    /// <c>UseResilience</c> so a cached answer skips retries too.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="directory">The cache directory; created when missing.</param>
    /// <param name="configure">Sets a size limit or a sliding expiration; <see langword="null"/> keeps every entry until the directory is deleted.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="directory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty or whitespace.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The configured size limit or expiration is invalid.</exception>
    public static ChatClientBuilder UseDiskResponseCache(this ChatClientBuilder builder, string directory, Action<FileSystemDistributedCacheOptions>? configure = null)
    {
        Throw.IfNull(builder);
        var options = new FileSystemDistributedCacheOptions { Directory = Throw.IfNullOrWhitespace(directory) };
        configure?.Invoke(options);
        return builder.UseDistributedCache(new FileSystemDistributedCache(options));
    }
}
