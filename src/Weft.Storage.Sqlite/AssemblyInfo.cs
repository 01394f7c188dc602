namespace Weft.Storage.Sqlite;
