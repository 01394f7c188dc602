namespace Weft.Storage.Postgres;
