using System.Text;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace AiEng.Prompts;

/// <summary>
/// The only files a prompt template can include: named partials held in memory. It replaces Fluid's file provider so that
/// <c>{% include %}</c> and <c>{% render %}</c> can never read the file system.
/// </summary>
internal sealed class PartialFileProvider(IReadOnlyDictionary<string, string> partials) : IFileProvider
{
    public IDirectoryContents GetDirectoryContents(string subpath) => NotFoundDirectoryContents.Singleton;

    public IFileInfo GetFileInfo(string subpath)
    {
        string name = PartialName(subpath);
        return partials.TryGetValue(name, out string? text) ? new PartialFile(name, text) : new NotFoundFileInfo(subpath);
    }

    public IChangeToken Watch(string filter) => NullChangeToken.Singleton;

    public static string PartialName(string path)
    {
        string name = path.Replace('\\', '/').TrimStart('/');
        return name.EndsWith(".liquid", StringComparison.OrdinalIgnoreCase) ? name[..^".liquid".Length] : name;
    }

    private sealed class PartialFile(string name, string text) : IFileInfo
    {
        private readonly byte[] _bytes = Encoding.UTF8.GetBytes(text);

        public bool Exists => true;

        public long Length => _bytes.Length;

        public string? PhysicalPath => null;

        public string Name => name;

        public DateTimeOffset LastModified => DateTimeOffset.UnixEpoch;

        public bool IsDirectory => false;

        public Stream CreateReadStream() => new MemoryStream(_bytes, writable: false);
    }
}
