// Ingests CrashDocuments into a PostgreSQL vector store, one ReplaceAsync (one transaction) per document, and prints
// "committed <id>" after each commit. Documents already stored with the same content hash are skipped ("skipped <id>"),
// so a re-run after a crash finishes the rest.
// Usage: AiEng.Postgres.CrashHost <schema> <document count> [pause ms after each commit]; the connection string is read
// from the environment variable AIENG_CRASH_HOST_CONNECTION_STRING, so its password never shows in a process list.
using System.Globalization;
using AiEng.Retrieval;
using AiEng.Sqlite.CrashHost;

if (args.Length is not (2 or 3) || Environment.GetEnvironmentVariable("AIENG_CRASH_HOST_CONNECTION_STRING") is not { Length: > 0 } connectionString)
{
    Console.Error.WriteLine("usage: AIENG_CRASH_HOST_CONNECTION_STRING=<Npgsql connection string> AiEng.Postgres.CrashHost <schema> <document count> [pause ms after each commit]");
    return 2;
}

var documents = int.Parse(args[1], CultureInfo.InvariantCulture);
var pause = TimeSpan.FromMilliseconds(args.Length == 3 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 0);
using var store = new PostgresVectorStore(connectionString, new PostgresVectorStoreOptions { Schema = args[0] });
await CrashDocuments.IngestAsync(store, documents, pause);
return 0;
