using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using HttpSysPS.Engine.Tests.Configuration;

namespace HttpSysPS.Engine.Tests.Tls;

/// <summary>
/// A throwaway CA made with the openssl tool, leaf certificates whose AIA names an OCSP responder on
/// 127.0.0.1:<see cref="Port"/>, and that responder (<c>openssl ocsp -index ... -port ...</c>) once
/// <see cref="StartAsync"/> ran. The index says which leaves are good and which revoked; responses are valid for a day,
/// so a server caches the one it fetched.
/// </summary>
internal sealed class TestOcspResponder : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly List<string> _index = [];
    private readonly object _lock = new();
    private int _gets;
    private Process? _process;

    private TestOcspResponder(int port) => Port = port;

    /// <summary>The port named in the leaves' AIA; nothing listens there until <see cref="StartAsync"/>.</summary>
    public int Port { get; }

    public X509Certificate2 Ca { get; private set; } = null!;

    /// <summary>How many OCSP requests by GET (.NET's fetcher; HttpSysPS's load-time probe POSTs) the responder received.</summary>
    public int Gets
    {
        get
        {
            lock (_lock)
            {
                return _gets;
            }
        }
    }

    /// <summary>Makes the CA (openssl req) on a port that is free now.</summary>
    public static async Task<TestOcspResponder> CreateAsync()
    {
        var responder = new TestOcspResponder(FreePort());
        await responder.OpenSslAsync(
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", responder.File("ca.key"), "-out", responder.File("ca.pem"),
            "-subj", "/CN=HttpSysPS OCSP Test CA", "-days", "2", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature");
        responder.Ca = X509Certificate2.CreateFromPem(System.IO.File.ReadAllText(responder.File("ca.pem")));
        return responder;
    }

    /// <summary>Issues a server leaf for 127.0.0.1 naming this responder, listed in the index as good or revoked.</summary>
    public async Task<X509Certificate2> IssueAsync(string name, bool revoked = false)
    {
        await OpenSslAsync("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", File(name + ".key"), "-out", File(name + ".csr"), "-subj", "/CN=127.0.0.1");
        System.IO.File.WriteAllText(
            File(name + ".ext"),
            $"subjectAltName=IP:127.0.0.1\nauthorityInfoAccess=OCSP;URI:http://127.0.0.1:{Port}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
        await OpenSslAsync(
            "x509", "-req", "-in", File(name + ".csr"), "-CA", File("ca.pem"), "-CAkey", File("ca.key"), "-CAcreateserial", "-out", File(name + ".pem"), "-days", "1", "-extfile", File(name + ".ext"));
        var leaf = X509Certificate2.CreateFromPemFile(File(name + ".pem"), File(name + ".key"));
        var expires = DateTime.UtcNow.AddDays(1).ToString("yyMMddHHmmss") + "Z";
        var status = revoked ? $"R\t{expires}\t{DateTime.UtcNow.AddHours(-1):yyMMddHHmmss}Z" : $"V\t{expires}\t";
        _index.Add($"{status}\t{leaf.SerialNumber}\tunknown\t/CN=127.0.0.1");
        return leaf;
    }

    /// <summary>Starts <c>openssl ocsp</c> on <see cref="Port"/> and returns once it waits for clients.</summary>
    public async Task StartAsync()
    {
        System.IO.File.WriteAllText(File("index.txt"), string.Join("\n", _index) + "\n");
        System.IO.File.WriteAllText(File("index.txt.attr"), "unique_subject = no\n");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = OpenSslTool.Start(
            "ocsp", "-index", File("index.txt"), "-port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-rsigner", File("ca.pem"), "-rkey", File("ca.key"), "-CA", File("ca.pem"), "-ndays", "1");
        void Watch(string? line)
        {
            if (line is null)
            {
                ready.TrySetException(new InvalidOperationException("openssl ocsp exited before it was ready."));
            }
            else if (line.Contains("waiting for OCSP client connections", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
            else if (line.Contains("1st line: GET", StringComparison.Ordinal))
            {
                lock (_lock)
                {
                    _gets++;
                }
            }
        }

        _ = PumpAsync(_process.StandardOutput, Watch);
        _ = PumpAsync(_process.StandardError, Watch);
        await ready.Task.WaitAsync(TlsTestServer.Bound);
    }

    /// <summary>What a leaf's certificate file carries after it (as a fullchain.pem would): the CA, the issuer .NET needs to ask for OCSP.</summary>
    public X509Certificate2[] Chain => [Ca];

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        Ca?.Dispose();
        _directory.Dispose();
    }

    private static async Task PumpAsync(StreamReader reader, Action<string?> line)
    {
        while (await reader.ReadLineAsync() is { } text)
        {
            line(text);
        }

        line(null);
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private string File(string name) => _directory.File(name);

    private async Task OpenSslAsync(params string[] args)
    {
        var (exitCode, output) = await OpenSslTool.RunAsync(string.Empty, args);
        Assert.True(exitCode == 0, $"openssl {string.Join(' ', args)} failed:\n{output}");
    }
}
