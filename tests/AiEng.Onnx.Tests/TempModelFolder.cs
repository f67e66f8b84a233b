namespace AiEng.Onnx.Tests;

/// <summary>A temporary folder holding the embedded MiniLM extracted as <c>model.onnx</c> and <c>vocab.txt</c>, deleted on dispose.</summary>
internal sealed class TempModelFolder : IDisposable
{
    public TempModelFolder()
    {
        Path = Directory.CreateTempSubdirectory("aieng-onnx-").FullName;
        ModelPath = System.IO.Path.Combine(Path, "model.onnx");
        VocabularyPath = System.IO.Path.Combine(Path, "vocab.txt");
        Copy(MiniLmModel.OpenModel(), ModelPath);
        Copy(MiniLmModel.OpenVocabulary(), VocabularyPath);
    }

    public string Path { get; }

    public string ModelPath { get; }

    public string VocabularyPath { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);

    private static void Copy(Stream source, string path)
    {
        using (source)
        using (var target = File.Create(path))
        {
            source.CopyTo(target);
        }
    }
}
