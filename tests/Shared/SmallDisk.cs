using System.Diagnostics;

namespace AiEng.TestSupport;

/// <summary>
/// A small file system for full-disk tests: a tmpfs of a given size mounted on a fresh folder (Linux, as root, where
/// mounting is allowed, as in CI), unmounted on dispose. <see cref="SkipReason"/> says why it cannot be had here.
/// </summary>
internal sealed class SmallDisk : IDisposable
{
    private SmallDisk(string path) => Path = path;

    /// <summary>Gets why no small disk can be mounted on this machine, or <see langword="null"/> when one can.</summary>
    public static string? SkipReason { get; } = Probe();

    /// <summary>Gets the folder the file system is mounted on.</summary>
    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="kilobytes"/> KiB on a new temporary folder.</summary>
    public static SmallDisk Mount(int kilobytes)
    {
        string path = Directory.CreateTempSubdirectory("aieng-full-disk-").FullName;
        Run("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k", "tmpfs", path);
        return new SmallDisk(path);
    }

    /// <summary>Fills the disk to the last byte with a filler file, which <see cref="Free"/> deletes.</summary>
    public void Fill()
    {
        // Unbuffered, so that a failed write throws here and not again when the stream is disposed; blocks of falling
        // size, so that not even the tail of the last page is left free.
        using var filler = new FileStream(System.IO.Path.Combine(Path, "filler"), FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
        for (int size = 64 * 1024; size >= 1; size /= 2)
        {
            var block = new byte[size];
            try
            {
                while (true)
                {
                    filler.Write(block);
                }
            }
            catch (IOException)
            {
                // No room for a block of this size: try a smaller one.
            }
        }
    }

    /// <summary>Deletes the filler file, giving the space back.</summary>
    public void Free() => File.Delete(System.IO.Path.Combine(Path, "filler"));

    public void Dispose()
    {
        try
        {
            Run("umount", "-l", Path);
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
            // Best effort: a leftover folder in /tmp does no harm.
        }
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "the full-disk tests mount a small tmpfs, which needs Linux";
        }

        try
        {
            using SmallDisk disk = Mount(64);
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "the full-disk tests mount a small tmpfs, which needs root (or CAP_SYS_ADMIN): " + ex.Message;
        }
    }

    private static void Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed ({process.ExitCode}): {errors.Trim()}");
        }
    }
}

/// <summary>A fact skipped, with the reason, where no small disk can be mounted.</summary>
internal sealed class SmallDiskFactAttribute : Xunit.FactAttribute
{
    public SmallDiskFactAttribute()
    {
        if (SmallDisk.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
