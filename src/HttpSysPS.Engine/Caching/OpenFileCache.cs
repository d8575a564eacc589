using System.Collections.Concurrent;

namespace HttpSysPS.Engine.Caching;

/// <summary>
/// Open handles of recently sent files, shared by concurrent sends (nginx's <c>open_file_cache</c>; HTTP.sys's
/// TransmitFile takes a handle the application keeps open). Why it exists: .NET on Unix emulates FileShare with an
/// advisory <c>flock(LOCK_SH)</c> on every open and releases it on close. With many connections sending the same
/// file, each open and close walks the inode's ever-longer lock list; at 64 connections sending one 1 MiB file that
/// was over half of the server's CPU (kernel profile: <c>flock_lock_inode</c>). One handle per file takes the lock
/// once. The process-wide switch that turns the locking off would also disable the locks the configuration store
/// relies on, so it is not an option.
/// </summary>
/// <remarks>
/// Each acquire costs one <c>stat</c> of the path: if the length or last-write time differ from the cached handle's,
/// the file was changed or replaced and a fresh handle is opened (the old one closes after its in-flight sends).
/// A replacement with the same length and the same last-write time (to 100 ns) would go unnoticed until the entry
/// idles out — the same trade nginx makes. Entries unused for <see cref="IdleTimeout"/> are closed on the heartbeat.
/// </remarks>
internal sealed class OpenFileCache : IDisposable
{
    /// <summary>At most this many handles stay open (nginx open_file_cache max= is typically 1000).</summary>
    public const int MaxFiles = 1000;

    private readonly ConcurrentDictionary<string, OpenFile> _files = new(StringComparer.Ordinal);
    private readonly object _lock = new();
    private readonly long _idleTimeout;
    private bool _disposed;

    public OpenFileCache(TimeProvider time) => _idleTimeout = (long)(IdleTimeout.TotalSeconds * time.TimestampFrequency);

    /// <summary>Handles unused this long are closed (nginx open_file_cache inactive= default 60 s; shorter, so deleted files are let go sooner).</summary>
    public static TimeSpan IdleTimeout { get; } = TimeSpan.FromSeconds(20);

    public int Count => _files.Count;

    /// <summary>An open file for <paramref name="path"/> with a reference for the caller, who must <see cref="OpenFile.Release"/> it.</summary>
    public OpenFile Acquire(string path, long now)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException("The file to send does not exist.", path);
        }

        if (_files.TryGetValue(path, out var cached) && cached.Length == info.Length &&
            cached.LastWriteTimeUtc == info.LastWriteTimeUtc && cached.TryAcquire(now))
        {
            return cached;
        }

        // FileShare.Delete: on Windows a cached handle must not stop the file from being replaced or deleted.
        // Asynchronous: SendPacketsElement requires an asynchronous FileStream.
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous);
        OpenFile fresh;
        try
        {
            fresh = new OpenFile(path, stream, File.GetLastWriteTimeUtc(stream.SafeFileHandle));
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        fresh.TryAcquire(now); // the caller's reference; the creator's goes to the cache below, or is dropped
        lock (_lock)
        {
            if (_disposed || (_files.Count >= MaxFiles && !_files.ContainsKey(path)))
            {
                fresh.Release();
                return fresh;
            }

            if (_files.TryGetValue(path, out var old))
            {
                old.Release();
            }

            _files[path] = fresh;
        }

        return fresh;
    }

    /// <summary>Closes handles not used for <see cref="IdleTimeout"/>. Called by the heartbeat.</summary>
    public void Scavenge(long now)
    {
        if (_files.IsEmpty)
        {
            return;
        }

        lock (_lock)
        {
            foreach (var (path, file) in _files)
            {
                if (now - file.LastUse >= _idleTimeout && _files.TryRemove(new KeyValuePair<string, OpenFile>(path, file)))
                {
                    file.Release();
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            foreach (var (path, file) in _files)
            {
                if (_files.TryRemove(new KeyValuePair<string, OpenFile>(path, file)))
                {
                    file.Release();
                }
            }
        }
    }
}
