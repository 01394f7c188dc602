namespace Weft.Core.Tests;
