namespace Weft.Cli.Tests;
