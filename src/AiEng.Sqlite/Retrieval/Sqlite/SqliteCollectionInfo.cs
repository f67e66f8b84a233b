using Microsoft.Data.Sqlite;

namespace AiEng.Retrieval;

/// <summary>A row of the metadata table: what a collection was created with.</summary>
internal sealed record SqliteCollectionInfo(string Name, string TableName, string KeyType, string VectorColumn, int Dimensions, string DistanceFunction)
{
    /// <summary>Reads the row of collection <paramref name="name"/>, or returns null when there is none.</summary>
    public static async Task<SqliteCollectionInfo?> FindAsync(SqliteConnection connection, SqliteTransaction transaction, string name, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT table_name, key_type, vector_column, dimensions, distance_function FROM {SqliteSql.MetadataTable} WHERE name = @name;";
        command.Parameters.AddWithValue("@name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new SqliteCollectionInfo(name, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4))
            : null;
    }

    /// <summary>Lists the names of all collections, in ordinal order.</summary>
    public static async Task<List<string>> ListNamesAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT name FROM {SqliteSql.MetadataTable} ORDER BY name;";
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>Drops the table of collection <paramref name="name"/>, its keyword index and its metadata row; does nothing when it does not exist.</summary>
    public static async Task<bool> DeleteAsync(SqliteConnection connection, SqliteTransaction transaction, string name, CancellationToken cancellationToken)
    {
        var info = await FindAsync(connection, transaction, name, cancellationToken).ConfigureAwait(false);
        if (info is null)
        {
            return false;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"DROP TABLE IF EXISTS {SqliteSql.Quote(info.TableName)}; {SqliteKeywordIndex.DropSql(info.TableName)} DELETE FROM {SqliteSql.MetadataTable} WHERE name = @name;";
        command.Parameters.AddWithValue("@name", name);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }
}
