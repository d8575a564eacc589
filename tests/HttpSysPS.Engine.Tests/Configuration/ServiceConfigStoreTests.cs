using HttpSysPS.Engine.Configuration;
using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Tests.Configuration;

public class ServiceConfigStoreTests
{
    private static UrlReservation Reservation(string url = "http://+:8080/api/", string user = "bob") => UrlReservation.Create(url, [user]);

    [Fact]
    public void MissingStoreReadsAsEmpty()
    {
        using var dir = new TempDirectory();
        var config = new ServiceConfigStore(dir.File("none/config.json")).Read();
        Assert.Empty(config.UrlReservations);
        Assert.Empty(config.SslBindings);
        Assert.Equal(TimeoutLimits.Inherit, config.Timeouts);
    }

    [Fact]
    public void EverythingRoundTripsThroughTheFile()
    {
        using var dir = new TempDirectory();
        using var certificate = TestCertificates.CreateValid();
        var (cert, key) = TestCertificates.WritePem(certificate, dir.Path);
        var store = new ServiceConfigStore(dir.File("etc/config.json"));
        var reservation = new UrlReservation(UrlPrefix.Parse("http://www.contoso.com:8080/app/"), [new(Principal.User("bob"), true, false), new(Principal.Group("web"), false, true), new(Principal.Everyone, true, true)]);
        var binding = new SslBinding(SslBindingKey.Parse("[::]:8443"), SslCertificateReference.FromFile(cert, key), Guid.NewGuid(), true, true, false, true);
        store.AddUrlReservation(reservation);
        store.SetSslBinding(binding);
        store.SetTimeouts(new Dictionary<TimeoutKind, long> { [TimeoutKind.IdleConnection] = 30, [TimeoutKind.MinSendBytesPerSecond] = 0xFFFFFFFF });

        var read = new ServiceConfigStore(dir.File("etc/config.json")).Read();
        Assert.Equal(reservation, Assert.Single(read.UrlReservations));
        Assert.Equal(binding, Assert.Single(read.SslBindings));
        Assert.Equal(new TimeoutLimits { IdleConnection = 30, MinSendBytesPerSecond = 0xFFFFFFFF }, read.Timeouts);
    }

    [Fact]
    public void EachMutatorTwiceReportsNoChangeAndLeavesTheBytesAlone()
    {
        using var dir = new TempDirectory();
        using var certificate = TestCertificates.CreateValid();
        var (cert, key) = TestCertificates.WritePem(certificate, dir.Path);
        var store = new ServiceConfigStore(dir.File("config.json"));
        var binding = new SslBinding(SslBindingKey.Parse("0.0.0.0:443"), SslCertificateReference.FromFile(cert, key));
        var timeouts = new Dictionary<TimeoutKind, long> { [TimeoutKind.HeaderWait] = 15 };
        // Keep one entry of each kind so removals act on a non-empty store.
        store.AddUrlReservation(Reservation("http://+:9000/keep/"));

        var mutators = new (string Name, Func<ConfigChangeResult> Run)[]
        {
            ("AddUrlReservation", () => store.AddUrlReservation(Reservation())),
            ("AddUrlReservation force", () => store.AddUrlReservation(Reservation(), force: true)),
            ("SetSslBinding", () => store.SetSslBinding(binding)),
            ("SetSslBinding add", () => store.SetSslBinding(binding, SslBindingWriteMode.Add)),
            ("SetTimeouts", () => store.SetTimeouts(timeouts)),
            ("RemoveUrlReservation", () => store.RemoveUrlReservation(UrlPrefix.Parse("http://+:8080/api/"))),
            ("RemoveSslBinding", () => store.RemoveSslBinding(binding.Key)),
        };
        foreach (var (name, run) in mutators)
        {
            var first = run();
            var bytes = File.ReadAllBytes(store.Path);
            var stamp = File.GetLastWriteTimeUtc(store.Path);
            var second = run();
            Assert.False(second.Changed, name + ": second run must report no change");
            Assert.Equal(bytes, File.ReadAllBytes(store.Path));
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(store.Path));
            Assert.True(first.Changed || name.EndsWith("force", StringComparison.Ordinal) || name.EndsWith("add", StringComparison.Ordinal), name + ": first run must change");
        }
    }

    [Fact]
    public void RemovingAnAbsentEntryIsNoChange()
    {
        using var dir = new TempDirectory();
        var store = new ServiceConfigStore(dir.File("config.json"));
        Assert.False(store.RemoveUrlReservation(UrlPrefix.Parse("http://+:1/")).Changed);
        Assert.False(store.RemoveSslBinding(SslBindingKey.Parse("0.0.0.0:1")).Changed);
        Assert.False(File.Exists(store.Path));
    }

    [Fact]
    public void ConflictingReservationWritesNothing()
    {
        using var dir = new TempDirectory();
        var store = new ServiceConfigStore(dir.File("config.json"));
        store.AddUrlReservation(Reservation());
        var before = File.ReadAllBytes(store.Path);
        var e = Assert.Throws<HttpSysException>(() => store.AddUrlReservation(Reservation(user: "alice")));
        Assert.Equal(HttpSysErrorReason.AlreadyExists, e.Reason);
        Assert.Equal(before, File.ReadAllBytes(store.Path));
        Assert.True(store.AddUrlReservation(Reservation(user: "alice"), force: true).Changed);
        Assert.Equal("user:alice", Assert.Single(Assert.Single(store.Read().UrlReservations).Acl).Principal.ToString());
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{\"version\": 99}")]
    [InlineData("{\"version\": 1, \"urlReservations\": [{\"url\": \"http//bad\", \"acl\": [{\"principal\": \"bob\"}]}]}")]
    [InlineData("{\"version\": 1, \"timeouts\": {\"headerWait\": 70000}}")]
    [InlineData("{\"version\": 1, \"sslBindings\": [{\"ipPort\": \"0.0.0.0:443\", \"certificateFile\": \"/tmp/a.pem\", \"enableTokenBinding\": true}]}")]
    public void CorruptStoreIsAnErrorNamingTheFileAndIsNeverOverwritten(string content)
    {
        using var dir = new TempDirectory();
        var path = dir.File("config.json");
        File.WriteAllText(path, content);
        var before = File.ReadAllBytes(path);
        var store = new ServiceConfigStore(path);

        var read = Assert.Throws<HttpSysException>(store.Read);
        Assert.Equal(HttpSysErrorReason.CorruptStore, read.Reason);
        Assert.Contains(path, read.Message, StringComparison.Ordinal);

        var write = Assert.Throws<HttpSysException>(() => store.AddUrlReservation(Reservation()));
        Assert.Equal(HttpSysErrorReason.CorruptStore, write.Reason);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(HttpSysErrorReason.CorruptStore, Assert.Throws<HttpSysException>(() => store.RemoveSslBinding(SslBindingKey.Parse("0.0.0.0:1"))).Reason);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void CrashBetweenTempWriteAndRenameLeavesThePreviousStoreIntact()
    {
        using var dir = new TempDirectory();
        var store = new ServiceConfigStore(dir.File("config.json"));
        store.AddUrlReservation(Reservation("http://+:8080/first/"));
        var before = File.ReadAllBytes(store.Path);
        string? tempSeen = null;
        store.BeforeCommit = temp =>
        {
            tempSeen = temp;
            // The new content is complete on disk at this point; the "crash" happens before it replaces the store.
            Assert.Contains("second", File.ReadAllText(temp), StringComparison.Ordinal);
            throw new IOException("simulated crash before rename");
        };

        Assert.Throws<IOException>(() => store.AddUrlReservation(Reservation("http://+:8080/second/")));
        Assert.Equal(before, File.ReadAllBytes(store.Path));
        Assert.Equal("http://+:8080/first/", Assert.Single(new ServiceConfigStore(store.Path).Read().UrlReservations).Url.FullPrefix);
        Assert.NotNull(tempSeen);
    }

    [Fact]
    public void StaleTempFileFromADeadWriterIsIgnoredByReadersAndRemovedByTheNextWriter()
    {
        using var dir = new TempDirectory();
        var store = new ServiceConfigStore(dir.File("config.json"));
        store.AddUrlReservation(Reservation("http://+:8080/first/"));
        var stale = dir.File(".config.json.0123456789abcdef.tmp");
        File.WriteAllText(stale, "{ half-writ");
        Assert.Single(store.Read().UrlReservations);
        store.AddUrlReservation(Reservation("http://+:8080/second/"));
        Assert.False(File.Exists(stale));
        Assert.Equal(2, store.Read().UrlReservations.Count);
    }

    [Fact]
    public void ConcurrentWritersInOneProcessLoseNothing()
    {
        using var dir = new TempDirectory();
        var path = dir.File("config.json");
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
            new ServiceConfigStore(path).AddUrlReservation(Reservation($"http://+:8080/app{i}/")));
        Assert.Equal(16, new ServiceConfigStore(path).Read().UrlReservations.Count);
    }

    [Fact]
    public void NoWriteAccessIsAccessDeniedSayingWhatToDo()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /sys refuses file creation even to root; other systems have no such path.
        }

        var store = new ServiceConfigStore("/sys/httpsysps-test/config.json");
        var e = Assert.Throws<HttpSysException>(() => store.AddUrlReservation(Reservation()));
        Assert.Equal(HttpSysErrorReason.AccessDenied, e.Reason);
        Assert.Contains("/sys/httpsysps-test/config.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("root", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StoreFileIsReadableByOtherUsers()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes only.
        }

        using var dir = new TempDirectory();
        var store = new ServiceConfigStore(dir.File("config.json"));
        store.AddUrlReservation(Reservation());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(store.Path));
    }

    [Fact]
    public void InvalidCertificateWritesNothing()
    {
        using var dir = new TempDirectory();
        var store = new ServiceConfigStore(dir.File("config.json"));
        var binding = new SslBinding(SslBindingKey.Parse("0.0.0.0:443"), SslCertificateReference.FromFile(dir.File("missing.pem"), dir.File("missing.key")));
        Assert.Equal(HttpSysErrorReason.InvalidCertificate, Assert.Throws<HttpSysException>(() => store.SetSslBinding(binding)).Reason);
        Assert.False(File.Exists(store.Path));
    }

    [Fact]
    public void ExpiredCertificateIsWrittenWithAWarning()
    {
        using var dir = new TempDirectory();
        var now = new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var certificate = TestCertificates.Create("old", now.AddDays(-10), now.AddDays(-1));
        var (cert, key) = TestCertificates.WritePem(certificate, dir.Path);
        var store = new ServiceConfigStore(dir.File("config.json"), timeProvider: new FixedTimeProvider(now));
        var result = store.SetSslBinding(new SslBinding(SslBindingKey.Parse("0.0.0.0:443"), SslCertificateReference.FromFile(cert, key)));
        Assert.True(result.Changed);
        Assert.Contains("expired", Assert.Single(result.Warnings), StringComparison.Ordinal);
        Assert.Single(store.Read().SslBindings);
    }

    [Fact]
    public void BadTimeoutValueNeverTouchesTheStore()
    {
        using var dir = new TempDirectory();
        var store = new ServiceConfigStore(dir.File("config.json"));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.SetTimeouts(new Dictionary<TimeoutKind, long> { [TimeoutKind.IdleConnection] = 70000 }));
        Assert.False(File.Exists(store.Path));
    }

    [Fact]
    public void WithACallerNonRootNeedsDelegateOnAParentToReserve()
    {
        using var dir = new TempDirectory();
        var path = dir.File("config.json");
        var root = new ServiceConfigStore(path, new ProcessIdentity("root", [], isAdministrator: true));
        root.AddUrlReservation(UrlReservation.Create("http://+:8080/apps/", ["user:bob"], listen: false, @delegate: true));
        var bob = new ServiceConfigStore(path, new ProcessIdentity("bob", [], isAdministrator: false));
        var eve = new ServiceConfigStore(path, new ProcessIdentity("eve", [], isAdministrator: false));

        Assert.True(bob.AddUrlReservation(Reservation("http://+:8080/apps/bob/", "bob")).Changed);
        Assert.Equal(HttpSysErrorReason.AccessDenied, Assert.Throws<HttpSysException>(() => eve.AddUrlReservation(Reservation("http://+:8080/apps/eve/", "eve"))).Reason);
        Assert.Equal(HttpSysErrorReason.AccessDenied, Assert.Throws<HttpSysException>(() => eve.RemoveUrlReservation(UrlPrefix.Parse("http://+:8080/apps/bob/"))).Reason);
        Assert.Equal(HttpSysErrorReason.AccessDenied, Assert.Throws<HttpSysException>(() => bob.RemoveUrlReservation(UrlPrefix.Parse("http://+:8080/apps/"))).Reason);
        Assert.False(eve.AddUrlReservation(Reservation("http://+:8080/apps/bob/", "bob")).Changed);
        Assert.True(bob.RemoveUrlReservation(UrlPrefix.Parse("http://+:8080/apps/bob/")).Changed);
    }

    [Fact]
    public async Task WatcherSeesChangesWithoutRestart()
    {
        using var dir = new TempDirectory();
        var store = new ServiceConfigStore(dir.File("config.json"));
        store.AddUrlReservation(Reservation("http://+:8080/one/"));
        var seen = new TaskCompletionSource<ServiceConfig>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = store.Watch(config =>
        {
            if (config.UrlReservations.Count == 2)
            {
                seen.TrySetResult(config);
            }
        });

        new ServiceConfigStore(store.Path).AddUrlReservation(Reservation("http://+:8080/two/"));
        // Waits for the event, not for time; the bound only keeps a broken watcher from hanging the run.
        var config = await seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains(config.UrlReservations, r => r.Url.Path == "/two/");
    }

    [Fact]
    public async Task WatcherReportsACorruptStoreAndRecovers()
    {
        using var dir = new TempDirectory();
        var store = new ServiceConfigStore(dir.File("config.json"));
        store.AddUrlReservation(Reservation("http://+:8080/one/"));
        var error = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = store.Watch(
            config =>
            {
                if (config.UrlReservations.Count == 0)
                {
                    recovered.TrySetResult();
                }
            },
            e => error.TrySetResult(e));

        File.WriteAllText(store.Path, "{ broken");
        var reported = await error.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpSysErrorReason.CorruptStore, Assert.IsType<HttpSysException>(reported).Reason);
        File.WriteAllText(store.Path, "{\"version\": 1}");
        await recovered.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
