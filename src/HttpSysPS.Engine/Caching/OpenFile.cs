using Microsoft.Win32.SafeHandles;

namespace HttpSysPS.Engine.Caching;

/// <summary>
/// One open file shared by every response that sends it, reference-counted: the <see cref="OpenFileCache"/> holds one
/// reference while it lists the file, each send holds one while it runs, and the last release closes the handle. So
/// a file retired from the cache (changed on disk, idle, evicted) stays open until its in-flight sends finish.
/// </summary>
internal sealed class OpenFile
{
    private int _references = 1; // the creator's (the cache's, or a lone sender's)
    private long _lastUse;

    public OpenFile(string path, FileStream stream, DateTime lastWriteTimeUtc)
    {
        Path = path;
        Stream = stream;
        Length = RandomAccess.GetLength(stream.SafeFileHandle);
        LastWriteTimeUtc = lastWriteTimeUtc;
    }

    public string Path { get; }

    /// <summary>The stream: SendPacketsElement takes a FileStream (opened asynchronously) and sends from its handle by offset.</summary>
    public FileStream Stream { get; }

    public SafeFileHandle Handle => Stream.SafeFileHandle;

    /// <summary>The length when opened (fstat of the open file).</summary>
    public long Length { get; }

    /// <summary>The path's last-write time when opened: a change means the file on disk is no longer this one.</summary>
    public DateTime LastWriteTimeUtc { get; }

    public long LastUse => Volatile.Read(ref _lastUse);

    /// <summary>Takes a reference unless the file is already closed (its count reached zero).</summary>
    public bool TryAcquire(long now)
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                Volatile.Write(ref _lastUse, now);
                return true;
            }
        }
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Stream.Dispose();
        }
    }
}
