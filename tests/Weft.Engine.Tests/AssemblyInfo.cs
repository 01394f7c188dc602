namespace Weft.Engine.Tests;
