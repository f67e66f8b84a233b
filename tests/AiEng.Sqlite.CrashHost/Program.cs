// Ingests CrashDocuments into a SQLite vector store, one ReplaceAsync (one transaction) per document, and prints
// "committed <id>" after each commit. Documents already stored with the same content hash are skipped ("skipped <id>"),
// so a re-run after a crash finishes the rest. Usage: AiEng.Sqlite.CrashHost <database file> <document count> [pause ms]
// The optional pause after each commit keeps the host ingesting for a while, so that a test that kills it after some
// commits cannot lose the race when the test process itself is starved of CPU (tests run in parallel on 2 cores).
using System.Globalization;
using AiEng.Retrieval;
using AiEng.Sqlite.CrashHost;

if (args.Length is not (2 or 3))
{
    Console.Error.WriteLine("usage: AiEng.Sqlite.CrashHost <database file> <document count> [pause ms after each commit]");
    return 2;
}

var documents = int.Parse(args[1], CultureInfo.InvariantCulture);
var pause = TimeSpan.FromMilliseconds(args.Length == 3 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 0);
using var store = new SqliteVectorStore(args[0]);
await CrashDocuments.IngestAsync(store, documents, pause);
return 0;
