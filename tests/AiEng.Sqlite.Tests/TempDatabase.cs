namespace AiEng.Sqlite.Tests;

/// <summary>A database file path in a fresh temporary folder, deleted (with the folder) on dispose.</summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly string _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "aieng-sqlite-" + Guid.NewGuid().ToString("N")[..12]);

    public TempDatabase()
    {
        Directory.CreateDirectory(_directory);
    }

    public string Path => System.IO.Path.Combine(_directory, "store.db");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still be closing its handles; the OS cleans the temp folder eventually.
        }
    }
}
