using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Authentication.Kerberos;

/// <summary>
/// A real MIT Kerberos realm for the tests, nothing written outside a temporary directory: its own KRB5_CONFIG and
/// KRB5_KDC_PROFILE, <c>kdb5_util create -s</c>, principals and the <c>HTTP/localhost</c> keytab with kadmin.local,
/// <c>krb5kdc -n</c> on a free port (stopped on dispose), and alice's ticket from <c>kinit</c>. It sets KRB5_CONFIG,
/// KRB5_KTNAME, KRB5CCNAME and KRB5RCACHEDIR for this process, natively (see <see cref="NativeEnvironment"/>), so the
/// in-process server and HttpClient use the realm, and restores them on dispose.
/// </summary>
public sealed class KdcFixture : IAsyncLifetime
{
    public const string Packages = "krb5-kdc krb5-admin-server krb5-user curl";
    public const string Realm = "HTTPSYS.TEST";
    public const string UserPassword = "alice-Pa55";

    private static readonly string[] Variables = ["KRB5_CONFIG", "KRB5_KTNAME", "KRB5CCNAME", "KRB5RCACHEDIR", "KRB5_KDC_PROFILE"];
    private readonly Dictionary<string, string?> _saved = new();
    private TempDirectory? _dir;
    private Process? _kdc;

    public static string? MissingComponents => DebianComponents.Missing(Packages, "krb5kdc", "kdb5_util", "kadmin.local", "kinit", "curl");

    public string Root => _dir!.Path;

    public string ConfigPath => Path.Combine(Root, "krb5.conf");

    public string CredentialCache => "FILE:" + Path.Combine(Root, "alice.cc");

    /// <summary>The environment a child client (curl, kinit) needs.</summary>
    public IReadOnlyDictionary<string, string> ClientEnvironment => new Dictionary<string, string>
    {
        ["KRB5_CONFIG"] = ConfigPath,
        ["KRB5CCNAME"] = CredentialCache,
    };

    /// <summary>The environment a server in its own process needs (httpsys serve): the realm, the keytab, a replay cache.</summary>
    public IReadOnlyDictionary<string, string> ServerEnvironment => new Dictionary<string, string>
    {
        ["KRB5_CONFIG"] = ConfigPath,
        ["KRB5_KTNAME"] = $"FILE:{Root}/http.keytab",
        ["KRB5RCACHEDIR"] = Root,
    };

    public async Task InitializeAsync()
    {
        if (MissingComponents is not null)
        {
            return;
        }

        _dir = new TempDirectory();
        var port = FreePort();
        var dir = Root;
        File.WriteAllText(ConfigPath, $"""
            [libdefaults]
                default_realm = {Realm}
                dns_lookup_realm = false
                dns_lookup_kdc = false
                rdns = false
                dns_canonicalize_hostname = false
                udp_preference_limit = 1
            [realms]
                {Realm} = {"{"}
                    kdc = 127.0.0.1:{port}
                {"}"}
            [domain_realm]
                localhost = {Realm}
                other = {Realm}
            """);
        var kdcProfile = Path.Combine(dir, "kdc.conf");
        File.WriteAllText(kdcProfile, $"""
            [kdcdefaults]
                kdc_ports = {port}
                kdc_tcp_ports = {port}
            [realms]
                {Realm} = {"{"}
                    database_name = {dir}/principal
                    key_stash_file = {dir}/stash
                    acl_file = {dir}/kadm5.acl
                    kdc_ports = {port}
                    kdc_tcp_ports = {port}
                {"}"}
            [logging]
                kdc = FILE:{dir}/kdc.log
            """);
        var admin = new Dictionary<string, string> { ["KRB5_CONFIG"] = ConfigPath, ["KRB5_KDC_PROFILE"] = kdcProfile };

        (await ExternalProcess.RunAsync(DebianComponents.FindCommand("kdb5_util")!, ["-r", Realm, "-P", "master-Pa55", "create", "-s"], admin)).EnsureSuccess("kdb5_util create");
        foreach (var query in new[]
        {
            $"addprinc -pw {UserPassword} alice",
            "addprinc -randkey HTTP/localhost",
            "addprinc -randkey HTTP/other",
            $"ktadd -k {dir}/http.keytab HTTP/localhost",
        })
        {
            // kadmin.local runs one -q per invocation.
            var result = (await ExternalProcess.RunAsync(DebianComponents.FindCommand("kadmin.local")!, ["-r", Realm, "-q", query], admin)).EnsureSuccess("kadmin.local " + query);
            if (result.Error.Contains("error", StringComparison.OrdinalIgnoreCase) || result.Error.Contains("does not exist", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"kadmin.local {query}: {result.Error}");
            }
        }

        _kdc = StartKdc(admin);
        await WaitForKdcAsync(port);
        (await ExternalProcess.RunAsync(DebianComponents.FindCommand("kinit")!, ["alice"], ClientEnvironment, UserPassword + "\n")).EnsureSuccess("kinit alice");

        foreach (var name in Variables)
        {
            _saved[name] = Environment.GetEnvironmentVariable(name);
        }

        NativeEnvironment.Set("KRB5_CONFIG", ConfigPath);
        NativeEnvironment.Set("KRB5_KTNAME", $"FILE:{dir}/http.keytab");
        NativeEnvironment.Set("KRB5CCNAME", CredentialCache);
        NativeEnvironment.Set("KRB5RCACHEDIR", dir);
    }

    /// <summary>Throws (with the install line) when the realm could not be set up because its packages are missing.</summary>
    public void Require() => DebianComponents.Require(MissingComponents);

    public async Task DisposeAsync()
    {
        foreach (var (name, value) in _saved)
        {
            NativeEnvironment.Set(name, value);
        }

        if (_kdc is { HasExited: false })
        {
            _kdc.Kill();
            await _kdc.WaitForExitAsync().Bounded();
        }

        _kdc?.Dispose();
        _dir?.Dispose();
    }

    private static Process StartKdc(IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(DebianComponents.FindCommand("krb5kdc")!) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-n", "-r", Realm })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }

    /// <summary>Awaits the KDC's TCP port (it binds before serving; a refused connect means not yet).</summary>
    private async Task WaitForKdcAsync(int port)
    {
        var deadline = DateTime.UtcNow + Bounds.Wait;
        while (true)
        {
            if (_kdc!.HasExited)
            {
                throw new InvalidOperationException($"krb5kdc exited ({_kdc.ExitCode}): {await _kdc.StandardError.ReadToEndAsync()}");
            }

            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Tests that set GSSAPI's process-wide environment run alone: no other test runs beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GssapiCollection : ICollectionFixture<KdcFixture>
{
    public const string Name = "GSSAPI environment";
}
