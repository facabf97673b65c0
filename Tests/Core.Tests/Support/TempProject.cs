namespace QaDatabases.Tests.Support;

/// <summary>A throwaway project folder for a test's SQL files, deleted afterwards.</summary>
internal sealed class TempProject : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("qa-db-project-");

    public string Path => _directory.FullName;

    public void Write(string relativePath, string content)
    {
        var path = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
