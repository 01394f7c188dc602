namespace Weft.Server;
