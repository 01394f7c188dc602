namespace Weft.Cli.Tests;

// In-process: an unexpected exception cannot be provoked through the real binary on demand.
public sealed class CliErrorsTests
{
    [Fact]
    public void Report_UnexpectedException_ExitsThreeWithOneLineAndNoStack()
    {
        var error = new StringWriter();

        var code = CliErrors.Report(new InvalidOperationException("boom\nsecond line"), error, verbose: false);

        Assert.Equal(3, code);
        var lines = error.ToString().TrimEnd().Split('\n');
        Assert.Equal("weft: error: internal error: InvalidOperationException: boom", lines[0]);
        Assert.Equal("hint: run again with --verbose to see the stack trace", lines[1]);
        Assert.Equal(2, lines.Length);
    }

    [Fact]
    public void Report_NativeLibraryMissing_SaysToKeepThePublishedFilesTogether()
    {
        var error = new StringWriter();
        var missing = new DllNotFoundException("Unable to load shared library 'e_sqlite3' or one of its dependencies. In order to help, try strace: \nmore");
        var thrown = new TypeInitializationException("SQLitePCL.raw", new System.Reflection.TargetInvocationException(missing));

        var code = CliErrors.Report(thrown, error, verbose: false);

        Assert.Equal(3, code);
        var lines = error.ToString().TrimEnd().Split('\n');
        Assert.Equal("weft: error: cannot load a native library: Unable to load shared library 'e_sqlite3' or one of its dependencies.", lines[0]);
        Assert.StartsWith("hint: keep the files of the published folder together (libe_sqlite3.so beside weft)", lines[1]);
    }

    [Fact]
    public void Report_IOException_ExitsThreeWithItsMessage()
    {
        var error = new StringWriter();

        var code = CliErrors.Report(new IOException("disk full"), error, verbose: false);

        Assert.Equal(3, code);
        Assert.StartsWith("weft: error: disk full\n", error.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Report_Verbose_AddsTheStack()
    {
        var error = new StringWriter();
        Exception thrown;
        try
        {
            throw new InvalidOperationException("boom");
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

        CliErrors.Report(thrown, error, verbose: true);

        Assert.Contains(nameof(Report_Verbose_AddsTheStack), error.ToString());
    }

    [Fact]
    public void Report_CliException_UsesItsCodeAndHint()
    {
        var error = new StringWriter();

        var code = CliErrors.Report(CliException.Usage("bad thing", "try this"), error, verbose: false);

        Assert.Equal(2, code);
        Assert.Equal("weft: error: bad thing\nhint: try this\n", error.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Report_AlreadyReported_PrintsNothing()
    {
        var error = new StringWriter();

        Assert.Equal(2, CliErrors.Report(CliException.Reported(2), error, verbose: false));
        Assert.Empty(error.ToString());
    }

    [Fact]
    public void Report_DatabaseLocked_ExitsThreeWithOneLineAndWhatToDo()
    {
        var error = new StringWriter();

        var code = CliErrors.Report(new Microsoft.Data.Sqlite.SqliteException("SQLite Error 5: 'database is locked'.", 5), error, verbose: false);

        Assert.Equal(3, code);
        var lines = error.ToString().TrimEnd().Split('\n');
        Assert.Equal(["weft: error: SQLite Error 5: 'database is locked'.", "hint: the database is locked by another process or cannot be reached; try again when it answers (an interrupted run continues with 'weft run --resume RUN_ID')"], lines);
    }
}
