namespace Weft.Storage.Sqlite.Tests;
