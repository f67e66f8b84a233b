using AiEng.Retrieval;

namespace AiEng.Tests.Retrieval.Loaders;

public class JsonlDocumentLoaderOptionsTests
{
    [Fact]
    public void Defaults_to_id_text_and_title_and_beir_uses_underscore_id()
    {
        var defaults = new JsonlDocumentLoaderOptions();
        var beir = JsonlDocumentLoaderOptions.ForBeirCorpus();

        Assert.Equal(("id", "text", "title"), (defaults.IdField, defaults.TextField, defaults.TitleField));
        Assert.Equal(("_id", "text", "title"), (beir.IdField, beir.TextField, beir.TitleField));
    }

    [Fact]
    public void Empty_field_names_are_rejected_when_the_loader_is_created()
    {
        Assert.Throws<ArgumentException>(() => new JsonlDocumentLoader(new JsonlDocumentLoaderOptions { IdField = "" }));
        Assert.Throws<ArgumentNullException>(() => new JsonlDocumentLoader(new JsonlDocumentLoaderOptions { TextField = null! }));
        Assert.Throws<ArgumentException>(() => new JsonlDocumentLoader(new JsonlDocumentLoaderOptions { TitleField = " " }));
    }
}
