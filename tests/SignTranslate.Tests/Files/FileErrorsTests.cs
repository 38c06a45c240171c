using SignTranslate.Files;

namespace SignTranslate.Tests.Files;

public sealed class FileErrorsTests
{
    // What .NET puts into IOException.HResult for ENOSPC / EROFS: the errno on Unix, HRESULT_FROM_WIN32 on Windows.
    private static int DiskFull => OperatingSystem.IsWindows() ? unchecked((int)0x80070070) : 28;

    [Fact]
    public void AFullDiskSaysSoAndNamesTheFile()
    {
        var error = FileErrors.Explain(new IOException("No space left on device : '/x/report.json'", DiskFull), "/x/report.json", FileAccessKind.Write);
        Assert.Equal("/x/report.json: the disk is full; free some space or write to another disk", error.Message);
    }

    [Fact]
    public void AReadOnlyFileSystemSaysSo()
    {
        if (OperatingSystem.IsWindows()) return;
        var error = FileErrors.Explain(new IOException("Read-only file system", 30), "/x/a.txt", FileAccessKind.Write);
        Assert.Equal("/x/a.txt: the file system is read-only; write to another folder", error.Message);
    }

    [Fact]
    public void MissingFilesAndPermissionsAreOneLine()
    {
        Assert.Equal("/x/h.txt: hypothesis file not found",
            FileErrors.Explain(new FileNotFoundException("gone"), "/x/h.txt", FileAccessKind.Read, "hypothesis file").Message);
        Assert.Equal("/x/h.txt: permission denied reading the file; check its permissions",
            FileErrors.Explain(new UnauthorizedAccessException("no"), "/x/h.txt", FileAccessKind.Read).Message);
        Assert.Equal("/x/h.txt: cannot write the file: bad sector on line one and two",
            FileErrors.Explain(new IOException("bad sector\non line one\r\nand two"), "/x/h.txt", FileAccessKind.Write).Message);
    }

    [Fact]
    public void WithoutAPathTheRuntimesMessageNamesIt()
    {
        Assert.Equal("the disk is full; free some space or write to another disk (No space left on device : '/x/a.bin')",
            FileErrors.Describe(new IOException("No space left on device : '/x/a.bin'", DiskFull)));
        Assert.Equal("permission denied: Access to the path '/sys/run' is denied; check the permissions of that path or choose another",
            FileErrors.Describe(new UnauthorizedAccessException("Access to the path '/sys/run' is denied.")));
    }

    [Fact]
    public void OutOfMemoryIsTheMachinesProblem()
    {
        Assert.StartsWith("/x/big.txt: not enough memory",
            FileErrors.Explain(new OutOfMemoryException(), "/x/big.txt", FileAccessKind.Read).Message);
    }

    [Fact]
    public void UserFilesTurnAFullDiskIntoAnInputError()
    {
        if (!OperatingSystem.IsLinux()) return;
        var error = Assert.Throws<InputException>(() => UserFiles.WriteAllText("/dev/full", "x"));
        Assert.Equal("/dev/full: the disk is full; free some space or write to another disk", error.Message);
    }
}
