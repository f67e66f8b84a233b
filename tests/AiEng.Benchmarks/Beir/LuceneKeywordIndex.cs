using AiEng.Retrieval;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using LuceneDocument = Lucene.Net.Documents.Document;

namespace AiEng.Benchmarks.Beir;

/// <summary>
/// Lucene.Net as a BM25 keyword retriever, for the comparison in docs/retrieval.md: Lucene's EnglishAnalyzer (lower case,
/// English stop words, possessive removal, Porter stemming) over title + text in one field, BM25 with Anserini's k1 0.9 and
/// b 0.4, in a RAM directory. A query is its analysed terms as optional term clauses.
/// </summary>
internal sealed class LuceneKeywordIndex : IDisposable
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const string BodyField = "body";
    private readonly RAMDirectory _directory;
    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;
    private readonly Analyzer _analyzer;

    private LuceneKeywordIndex(RAMDirectory directory, Analyzer analyzer, Similarity similarity)
    {
        _directory = directory;
        _analyzer = analyzer;
        _reader = DirectoryReader.Open(directory);
        _searcher = new IndexSearcher(_reader) { Similarity = similarity };
    }

    public static LuceneKeywordIndex Build(IEnumerable<BeirDocument> corpus)
    {
        var directory = new RAMDirectory();
        var analyzer = new Lucene.Net.Analysis.En.EnglishAnalyzer(Version);
        var similarity = new BM25Similarity(0.9f, 0.4f);
        var config = new IndexWriterConfig(Version, analyzer) { Similarity = similarity, OpenMode = OpenMode.CREATE };
        using (var writer = new IndexWriter(directory, config))
        {
            foreach (var document in corpus)
            {
                writer.AddDocument(new LuceneDocument
                {
                    new StringField("id", document.Id, Field.Store.YES),
                    new TextField(BodyField, document.FullText, Field.Store.NO),
                });
            }

            writer.Commit();
        }

        return new LuceneKeywordIndex(directory, analyzer, similarity);
    }

    public IReadOnlyList<SearchHit> Search(string query, int top)
    {
        var boolean = new BooleanQuery();
        using (var stream = _analyzer.GetTokenStream(BodyField, query))
        {
            var term = stream.AddAttribute<ICharTermAttribute>();
            stream.Reset();
            while (stream.IncrementToken())
            {
                boolean.Add(new TermQuery(new Term(BodyField, term.ToString())), Occur.SHOULD);
            }

            stream.End();
        }

        if (boolean.Clauses.Count == 0)
        {
            return [];
        }

        var docs = _searcher.Search(boolean, top);
        var hits = new SearchHit[docs.ScoreDocs.Length];
        for (int i = 0; i < hits.Length; i++)
        {
            hits[i] = new SearchHit(_searcher.Doc(docs.ScoreDocs[i].Doc).Get("id"), docs.ScoreDocs[i].Score);
        }

        return hits;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _analyzer.Dispose();
        _directory.Dispose();
    }
}
