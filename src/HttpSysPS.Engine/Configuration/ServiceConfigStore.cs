using System.Diagnostics;
using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Configuration;

/// <summary>
/// The persisted machine-wide <see cref="ServiceConfig"/>: one JSON file, changed atomically under an exclusive lock.
/// </summary>
/// <remarks>
/// Write protocol (so concurrent provisioning runs lose nothing and readers never see a torn file):
/// take an exclusive lock on the sidecar <c>config.json.lock</c> (FileShare.None, which .NET maps to
/// <c>flock(LOCK_EX)</c> on Unix), retrying with bounded backoff up to <see cref="LockTimeout"/>; read the current
/// file; apply the change; if nothing changed, stop (the file is not rewritten); else write a temp file in the same
/// directory, flush it to disk (<c>fsync</c>), and rename it over the store (atomic on one file system). A crash
/// before the rename leaves the previous store intact; its stale temp file is removed by the next writer.
/// A corrupt store is never overwritten: every mutation reads and parses it first.
/// Rights: changing a store needs write access to its directory (root for the machine store, as netsh needs
/// Administrator). When <see cref="ReservationCaller"/> is set (the machine store, see <see cref="Open"/>), adding
/// or removing a reservation by a non-root writer additionally needs Delegate on a parent reservation (spec §2.2).
/// </remarks>
public sealed class ServiceConfigStore
{
    private readonly TimeProvider _timeProvider;
    private readonly SslCertificateLoader _certificates;

    /// <summary>Creates a store over <paramref name="path"/> (nothing is touched until used).</summary>
    /// <param name="path">The JSON file; its directory is created on first write.</param>
    /// <param name="reservationCaller">Identity whose Delegate rights are checked on reservation changes; null = write access alone decides.</param>
    /// <param name="timeProvider">Clock for certificate expiry and lock timeouts (default: system).</param>
    public ServiceConfigStore(string path, ProcessIdentity? reservationCaller = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        ReservationCaller = reservationCaller;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _certificates = new SslCertificateLoader(_timeProvider);
    }

    /// <summary>
    /// Opens the store <see cref="ServiceConfigPath.Resolve"/> picks. For the machine store the current process identity
    /// is checked for Delegate rights on reservation changes; an overridden path is a per-user store whose writer owns it.
    /// </summary>
    public static ServiceConfigStore Open(string? explicitPath, Func<string, string?>? getEnvironmentVariable = null)
    {
        var path = ServiceConfigPath.Resolve(explicitPath, getEnvironmentVariable);
        return new ServiceConfigStore(path, ServiceConfigPath.IsMachineDefault(path) ? ProcessIdentity.Current() : null);
    }

    /// <summary>Full path of the JSON file.</summary>
    public string Path { get; }

    /// <summary>Identity checked for Delegate on reservation changes, or null when write access alone decides.</summary>
    public ProcessIdentity? ReservationCaller { get; }

    /// <summary>How long a writer waits for another writer's lock before failing. Default 30 s.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Test hook: runs after the temp file is flushed and before it is renamed over the store (to simulate a crash).</summary>
    internal Action<string>? BeforeCommit { get; set; }

    private string LockPath => Path + ".lock";

    private string Directory => System.IO.Path.GetDirectoryName(Path)!;

    /// <summary>Reads the current snapshot; a missing file is <see cref="ServiceConfig.Empty"/>. Throws CorruptStore or AccessDenied.</summary>
    public ServiceConfig Read() => Parse(ReadBytes());

    /// <summary>Adds a reservation (see <see cref="ServiceConfig.WithUrlReservation"/>); an identical one is no change.</summary>
    public ConfigChangeResult AddUrlReservation(UrlReservation reservation, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        return Update(config =>
        {
            // An identical reservation is a no-op for anyone, so idempotent runs never fail on rights they do not need.
            if (reservation.Equals(config.FindUrlReservation(reservation.Url)))
            {
                return config;
            }

            CheckReserve(reservation.Url, config);
            return config.WithUrlReservation(reservation, force);
        });
    }

    /// <summary>Removes the reservation for exactly <paramref name="url"/>; absent is no change.</summary>
    public ConfigChangeResult RemoveUrlReservation(UrlPrefix url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Update(config =>
        {
            if (config.FindUrlReservation(url) is null)
            {
                return config;
            }

            CheckReserve(url, config);
            return config.WithoutUrlReservation(url);
        });
    }

    /// <summary>Validates the certificate (errors throw, nothing written; warnings returned), then writes the binding.</summary>
    public ConfigChangeResult SetSslBinding(SslBinding binding, SslBindingWriteMode mode = SslBindingWriteMode.Set)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var warnings = _certificates.Validate(binding);
        var result = Update(config => config.WithSslBinding(binding, mode));
        return result with { Warnings = warnings };
    }

    /// <summary>Removes the binding with exactly <paramref name="key"/>; absent is no change.</summary>
    public ConfigChangeResult RemoveSslBinding(SslBindingKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Update(config => config.WithoutSslBinding(key));
    }

    /// <summary>Sets the given service-wide timers (0 = back to the HTTP.sys default); the others keep their values.</summary>
    public ConfigChangeResult SetTimeouts(IReadOnlyDictionary<TimeoutKind, long> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        // Validate before taking the lock, so a bad value never even touches the store.
        _ = values.Aggregate(TimeoutLimits.Inherit, (t, kv) => t.With(kv.Key, kv.Value));
        return Update(config => config.WithTimeouts(values.Aggregate(config.Timeouts, (t, kv) => t.With(kv.Key, kv.Value))));
    }

    /// <summary>
    /// Read-modify-write under the lock. <paramref name="change"/> returns its argument to mean "nothing to do", in
    /// which case the file is not rewritten. Exceptions from <paramref name="change"/> abort without writing.
    /// </summary>
    public ConfigChangeResult Update(Func<ServiceConfig, ServiceConfig> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        CreateDirectory();
        using var fileLock = AcquireLock();
        RemoveStaleTempFiles();
        var current = Read();
        var next = change(current);
        if (ReferenceEquals(next, current))
        {
            return ConfigChangeResult.NoChange;
        }

        Commit(ServiceConfigJson.Serialize(next));
        return ConfigChangeResult.Done;
    }

    /// <summary>
    /// Calls <paramref name="onChanged"/> with each new snapshot after the file changes (a running server applies it
    /// without restart). Uses a FileSystemWatcher on the directory, re-reads, and suppresses events that did not change
    /// the content. A corrupt or unreadable store goes to <paramref name="onError"/> and the previous snapshot stays in
    /// force. If the directory does not exist yet it is created when possible; otherwise nothing is watched.
    /// Dispose the result to stop.
    /// </summary>
    public IDisposable Watch(Action<ServiceConfig> onChanged, Action<Exception>? onError = null)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            onError?.Invoke(e);
            return new FileSystemWatcher();
        }

        var gate = new object();
        var last = TryReadBytes();
        var watcher = new FileSystemWatcher(Directory, System.IO.Path.GetFileName(Path))
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };

        void Reload()
        {
            lock (gate)
            {
                try
                {
                    var bytes = ReadBytes();
                    if (bytes is null ? last is null : last is not null && bytes.AsSpan().SequenceEqual(last))
                    {
                        return;
                    }

                    var config = Parse(bytes);
                    last = bytes;
                    onChanged(config);
                }
                catch (HttpSysException e)
                {
                    onError?.Invoke(e);
                }
            }
        }

        watcher.Changed += (_, _) => Reload();
        watcher.Created += (_, _) => Reload();
        watcher.Deleted += (_, _) => Reload();
        watcher.Renamed += (_, _) => Reload();
        // Overflowed event queue: we may have missed a change, so re-read.
        watcher.Error += (_, _) => Reload();
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    private void CheckReserve(UrlPrefix url, ServiceConfig config)
    {
        if (ReservationCaller is not null)
        {
            AccessCheck.EnsureCanReserve(url, ReservationCaller, config.UrlReservations);
        }
    }

    private ServiceConfig Parse(byte[]? bytes) => bytes is null ? ServiceConfig.Empty : ServiceConfigJson.Deserialize(bytes, Path);

    /// <summary>The file's bytes, or null when it does not exist (an empty store).</summary>
    private byte[]? ReadBytes()
    {
        try
        {
            return File.ReadAllBytes(Path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            throw new HttpSysException(HttpSysErrorReason.AccessDenied, $"Cannot read the HttpSysPS configuration store '{Path}': permission denied.", e);
        }
        catch (IOException e)
        {
            throw new HttpSysException(HttpSysErrorReason.CorruptStore, $"The HttpSysPS configuration store '{Path}' cannot be read: {e.Message}", e);
        }
    }

    private byte[]? TryReadBytes()
    {
        try
        {
            return ReadBytes();
        }
        catch (HttpSysException)
        {
            return [];
        }
    }

    private void CreateDirectory()
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        catch (UnauthorizedAccessException e)
        {
            throw Denied(e);
        }
    }

    private FileStream AcquireLock()
    {
        var start = _timeProvider.GetTimestamp();
        var delay = 2;
        while (true)
        {
            try
            {
                return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (UnauthorizedAccessException e)
            {
                throw Denied(e);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
            {
                // Held by another writer: back off (2, 4, ... 100 ms, jittered so 32 racing writers spread out).
                if (_timeProvider.GetElapsedTime(start) > LockTimeout)
                {
                    throw new HttpSysException(HttpSysErrorReason.InvalidState, $"Timed out after {LockTimeout.TotalSeconds:0} s waiting for the lock '{LockPath}' held by another writer: {e.Message}", e);
                }

                Thread.Sleep(delay + Random.Shared.Next(delay));
                delay = Math.Min(delay * 2, 100);
            }
        }
    }

    private void Commit(byte[] content)
    {
        var temp = System.IO.Path.Combine(Directory, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                // fsync before rename: otherwise a power loss can leave the renamed file empty (ext4 delayed allocation).
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                // Servers run as other users and must read the store; keep the existing mode, else rw-r--r--.
                File.SetUnixFileMode(temp, File.Exists(Path)
                    ? File.GetUnixFileMode(Path)
                    : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            BeforeCommit?.Invoke(temp);
            File.Move(temp, Path, overwrite: true);
        }
        catch (UnauthorizedAccessException e)
        {
            TryDelete(temp);
            throw Denied(e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private void RemoveStaleTempFiles()
    {
        // Called under the lock, so any temp file present belongs to a writer that died before its rename.
        foreach (var stale in System.IO.Directory.EnumerateFiles(Directory, $".{System.IO.Path.GetFileName(Path)}.*.tmp"))
        {
            TryDelete(stale);
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Debug.WriteLine($"Could not remove temp file {file}: {e.Message}");
        }
    }

    private HttpSysException Denied(Exception e) => new(
        HttpSysErrorReason.AccessDenied,
        $"Cannot change the HttpSysPS configuration store '{Path}': permission denied. Changing the machine store needs root (run with sudo) or Administrator, as netsh does; or use -ConfigPath / --config / HTTPSYSPS_CONFIG for a store you own.",
        e);
}
