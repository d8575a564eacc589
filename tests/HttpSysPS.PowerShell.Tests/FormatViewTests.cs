using System.Text.RegularExpressions;
using System.Xml.Linq;
using HttpSysPS.PowerShell.Tests.Infrastructure;

namespace HttpSysPS.PowerShell.Tests;

/// <summary>
/// Every view of src/HttpSysPS.Cmdlets/*.Format.ps1xml, rendered by the staged module with <c>Out-String -Width 120</c>
/// from real cmdlet output and compared with the exact text (trailing spaces trimmed per line). Inputs are made
/// deterministic: provisioning objects come from a temp -ConfigPath store, listeners have fixed names and prefixes, and
/// what cannot be fixed (free ports, temp paths, a new certificate's hash and expiry) is masked.
/// </summary>
public sealed partial class FormatViewTests : IDisposable
{
    private static readonly string CmdletsDir = Path.Combine(TestPaths.RepoRoot, "src", "HttpSysPS.Cmdlets");

    private readonly ModuleSession _session = new();
    private readonly ProvisioningStore _store = new();

    public void Dispose()
    {
        _store.Dispose();
        _session.Dispose();
    }

    /// <summary>The views of the Format files: (view name, type it is selected by).</summary>
    public static TheoryData<string, string> Views()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, type) in ViewsInFiles())
        {
            data.Add(name, type);
        }

        return data;
    }

    [Fact]
    public void Every_view_in_the_Format_files_has_a_rendering_test_here()
    {
        var views = ViewsInFiles().Select(v => v.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(views);
        Assert.Equal(views, Expected.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Views))]
    public void The_view_renders_the_expected_text(string view, string typeName)
    {
        Assert.True(Expected.TryGetValue(view, out var expected), $"The view '{view}' ({typeName}) has no rendering test: add one to {nameof(FormatViewTests)}.");
        var (objectTypes, text) = Render(view);

        // The view was chosen for the objects because of their type, and it is the view of this name.
        Assert.All(objectTypes, t => Assert.Equal(typeName, t));
        Assert.Equal(Lines(expected), Lines(text));
    }

    [Fact]
    public void A_listener_with_several_long_prefixes_keeps_its_counters_in_the_table()
    {
        // The table sizes a column by its whole text; the URLs, one per line, used to sit in the middle and pushed the
        // counters out of a 120-column table. They are the last column now, where a long text only wraps.
        var name = ModuleSession.UniqueName("fmtwide");
        try
        {
            var (_, text) = RenderScript(
                "New-HttpSysListener -UrlPrefix 'http://localhost:0/a-rather-long-path/for-testing/', 'http://localhost:0/b/', 'http://+:8080/catalog/items/' " +
                "-StaticRoot $args[0] -Name $args[1] | Out-Null; Get-HttpSysListener -Name $args[1]",
                TestPaths.SampleSite,
                name);
            var lines = Lines(text);
            Assert.Equal($"{"Name".PadRight(name.Length)} State   Handler     Auth Queued InFlight Completed Url", lines[0]);
            var indent = new string(' ', lines[0].IndexOf("Url", StringComparison.Ordinal));
            Assert.Equal(
                [
                    $"{name} Created StaticFiles           0        0         0 http://localhost:0/a-rather-long-path/for-testing/",
                    indent + "http://localhost:0/b/",
                    indent + "http://+:8080/catalog/items/",
                ],
                lines[2..]);
        }
        finally
        {
            _session.Run("Remove-HttpSysListener -Name $args[0] -Force -ErrorAction Ignore", name);
        }
    }

    // Runs the case of a view: the type names of the rendered objects and their text.
    private (string[] Types, string Text) Render(string view) => view switch
    {
        "HttpSysListenerInfo" => WithListeners(() => RenderScript("Get-HttpSysListener -Name 'fmtview-*'")),
        "RequestQueueStatistics" => WithListeners(() => RenderScript("Get-HttpSysRequestQueue -Name 'fmtview-*'")),
        "UrlReservation" => RenderScript(
            "$null = Add-UrlReservation -Url 'http://+:8080/api/' -User alice, bob -ConfigPath $args[0]; " +
            "$null = Add-UrlReservation -Url 'http://localhost:9000/' -User carol -Listen $false -Delegate -ConfigPath $args[0]; " +
            "Get-UrlReservation -ConfigPath $args[0]",
            _store.Path),
        "SslBinding" => SslBindings(),
        "TimeoutLimits" => RenderScript(
            "Get-HttpSysTimeout -ConfigPath $args[0]; " +
            "$null = Set-HttpSysTimeout -IdleConnection 60 -HeaderWait 30 -MinSendBytesPerSecond 500 -ConfigPath $args[0]; " +
            "Get-HttpSysTimeout -ConfigPath $args[0]; Get-HttpSysTimeout -ConfigPath $args[0] -Effective",
            _store.Path),
        "DevelopmentCertificateFiles" => Mask(RenderScript("New-HttpSysCertificate -DnsName localhost -OutputDirectory (Join-Path $args[0] 'certs')", _store.Directory)),
        "ProvisioningResult" => RenderScript(
            "Add-UrlReservation -Url 'http://+:8080/api/' -User alice -ConfigPath $args[0] -PassThru; " +
            "Add-UrlReservation -Url 'http://+:8080/api/' -User alice -ConfigPath $args[0] -PassThru; " +
            "Set-HttpSysTimeout -IdleConnection 60 -HeaderWait 30 -ConfigPath $args[0] -PassThru; " +
            "Remove-UrlReservation -Url 'http://+:8080/api/' -ConfigPath $args[0] -PassThru",
            _store.Path),
        "HttpSysResponseCacheEntry" => CachedResponses(),
        "HttpSysWebSocketConnection" => OpenWebSockets(),
        _ => throw new InvalidOperationException($"No rendering case for the view '{view}'."),
    };

    // Two listeners with fixed names: one started on two prefixes after two requests, one only created.
    private (string[] Types, string Text) WithListeners(Func<(string[] Types, string Text)> render)
    {
        var names = new[] { "fmtview-api", "fmtview-site" };
        try
        {
            var api = _session.Run(
                "New-HttpSysListener -UrlPrefix 'http://localhost:0/api/', 'http://localhost:0/v2/' -HandlerAssembly $args[0] -HandlerType HelloHandler.HelloHandler " +
                "-Name fmtview-api -ThrottleLimit 8 -RequestQueueName fmtview-api-queue -RequestQueueLimit 50 -AuthenticationScheme Negotiate, NTLM -Start",
                TestPaths.HelloHandler);
            Assert.Empty(api.Errors);
            var site = _session.Run("New-HttpSysListener -UrlPrefix 'http://localhost:0/site/' -StaticRoot $args[0] -Name fmtview-site -ThrottleLimit 8", TestPaths.SampleSite);
            Assert.Empty(site.Errors);
            foreach (var url in Assert.Single(api.Output).Strings("BoundUrl"))
            {
                Assert.Equal("Hello, World!", Http.Get(url).Body);
            }

            var (types, text) = render();
            return (types, PortDigits().Replace(text, m => m.Groups["prefix"].Value + new string('#', m.Groups["port"].Length)));
        }
        finally
        {
            _session.Run("Remove-HttpSysListener -Name $args -Force -ErrorAction Ignore", names.Cast<object?>().ToArray());
        }
    }

    // Two cached responses of a listener with a fixed name (one hit once, one with a query string); the seconds to
    // live (60 or 59 by the time they are listed) are masked.
    private (string[] Types, string Text) CachedResponses()
    {
        try
        {
            var listener = _session.Run(
                "New-HttpSysListener -UrlPrefix 'http://localhost:0/cache/' -Name fmtview-cache -Start " +
                "-ScriptBlock { $Response.Headers['Cache-Control'] = 'public, max-age=60'; 'cached' }");
            Assert.Empty(listener.Errors);
            var root = Assert.Single(Assert.Single(listener.Output).Strings("BoundUrl"));
            foreach (var url in new[] { root + "a", root + "a", root + "b?x=1" })
            {
                Assert.Equal("cached", Http.Get(url).Body);
            }

            var (types, text) = RenderScript("Get-HttpSysResponseCache -Name fmtview-cache");
            return (types, SecondsToLive().Replace(PortDigits().Replace(text, m => m.Groups["prefix"].Value + new string('#', m.Groups["port"].Length)), "##"));
        }
        finally
        {
            _session.Run("Remove-HttpSysListener -Name fmtview-cache -Force -ErrorAction Ignore");
        }
    }

    // Two open WebSockets of a listener with a fixed name, one with a subprotocol and a query string. Their ids come
    // from the process's one server (other tests' requests count too), so ids, the clients' ports and the connection
    // times are masked, and runs of spaces are made one: the columns' widths follow the ids' lengths.
    private (string[] Types, string Text) OpenWebSockets()
    {
        var clients = new List<WebSocketClient>();
        try
        {
            var listener = _session.Run("New-HttpSysListener -UrlPrefix 'http://localhost:0/ws/' -Name fmtview-ws -Start -WebSocketSubProtocol chat -WebSocketScriptBlock { $Message }");
            Assert.Empty(listener.Errors);
            var url = Assert.Single(Assert.Single(listener.Output).Strings("BoundUrl"));
            clients.Add(WebSocketClient.ConnectAsync(url + "room?x=1", "chat").GetAwaiter().GetResult());
            clients.Add(WebSocketClient.ConnectAsync(url).GetAwaiter().GetResult());

            var (types, text) = RenderScript("Get-HttpSysWebSocket -Name fmtview-ws");
            text = ConnectedAt().Replace(RemotePort().Replace(SocketId().Replace(text, "<id>"), "${address}:<port>"), "<time>");
            return (types, string.Join('\n', Lines(text).Select(l => IdUnderline().Replace(Spaces().Replace(l, " ").TrimStart(), "--"))));
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }

            _session.Run("Remove-HttpSysListener -Name fmtview-ws -Force -ErrorAction Ignore");
        }
    }

    // An IP:port and a host name:port binding to files (a store binding needs the certificate in the user's store).
    private (string[] Types, string Text) SslBindings()
    {
        var (cert, key) = _store.Certificate(_session);
        var (types, text) = RenderScript(
            "$null = Set-SslBinding -Key 0.0.0.0:8443 -CertificateFile $args[1] -KeyFile $args[2] -AppId '00112233-4455-6677-8899-aabbccddeeff' -ConfigPath $args[0]; " +
            "$null = Set-SslBinding -Key www.example.com:443 -CertificateFile $args[1] -KeyFile $args[2] -AppId '00112233-4455-6677-8899-aabbccddeeff' " +
            "-NegotiateClientCertificate -DisableTls12 -DisableHttp2 -DisableOcspStapling -DisableSessionId -LogExtendedEvents -ConfigPath $args[0]; " +
            "Get-SslBinding -ConfigPath $args[0]",
            _store.Path,
            cert,
            key);
        return (types, text.Replace(_store.Directory, "<dir>", StringComparison.Ordinal));
    }

    private (string[] Types, string Text) Mask((string[] Types, string Text) rendered) =>
        (rendered.Types, Expiry().Replace(Hash().Replace(rendered.Text.Replace(_store.Directory, "<dir>", StringComparison.Ordinal), "<hash>"), "${label}<date>"));

    // The objects' type names (to check the view applies to them) and their text at width 120.
    private (string[] Types, string Text) RenderScript(string script, params object?[] arguments)
    {
        var result = _session.Run($"$items = @(& {{ {script} }} @args); $items | ForEach-Object {{ $_.GetType().FullName }}; $items | Out-String -Width 120", arguments);
        Assert.True(result.Errors.Length == 0, string.Join(Environment.NewLine, result.Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
        var strings = result.Output.Select(o => (string)o.BaseObject).ToArray();
        Assert.True(strings.Length >= 2, "The case rendered no objects.");
        return (strings[..^1], strings[^1]);
    }

    private static IEnumerable<(string Name, string Type)> ViewsInFiles() =>
        Directory.GetFiles(CmdletsDir, "*.Format.ps1xml")
            .Order(StringComparer.Ordinal)
            .SelectMany(file => XDocument.Load(file).Descendants("View"))
            .Select(view => (view.Element("Name")!.Value.Trim(), view.Element("ViewSelectedBy")!.Element("TypeName")!.Value.Trim()));

    // Lines without trailing whitespace, without the blank lines Out-String puts around a table or list.
    private static string[] Lines(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[0].Length == 0)
        {
            lines.RemoveAt(0);
        }

        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return [.. lines];
    }

    [GeneratedRegex(@"(?<prefix>localhost:)(?<port>[1-9][0-9]*)")]
    private static partial Regex PortDigits();

    [GeneratedRegex(@"(?<= )(59|60)(?= http)")]
    private static partial Regex SecondsToLive();

    [GeneratedRegex(@"^ *[0-9]+(?= +fmtview-ws)", RegexOptions.Multiline)]
    private static partial Regex SocketId();

    [GeneratedRegex(@"(?<address>127\.0\.0\.1|\[::1\]):[0-9]+")]
    private static partial Regex RemotePort();

    [GeneratedRegex(@"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")]
    private static partial Regex ConnectedAt();

    [GeneratedRegex("^-+(?= -)")]
    private static partial Regex IdUnderline();

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();

    [GeneratedRegex("[0-9a-f]{40}")]
    private static partial Regex Hash();

    [GeneratedRegex(@"(?<label>Expires\s*: ).*")]
    private static partial Regex Expiry();

    // The expected text of each view; a view in the Format files without an entry here fails the test above.
    // Ports a listener took for port 0 are masked digit by digit (#####: ephemeral ports have five digits on Linux,
    // Windows and macOS), so the table's column widths stay those of the real text.
    private static readonly Dictionary<string, string> Expected = new()
    {
        ["HttpSysListenerInfo"] = """
            Name         State   Handler     Auth            Queued InFlight Completed Url
            ----         -----   -------     ----            ------ -------- --------- ---
            fmtview-api  Started Compiled    NTLM, Negotiate      0        0         2 http://localhost:#####/api/
                                                                                       http://localhost:#####/v2/
            fmtview-site Created StaticFiles                      0        0         0 http://localhost:0/site/
            """,
        ["RequestQueueStatistics"] = """
            Name              Queued Limit InFlight MaxConcurrent Completed Rejected TimedOut CacheHits
            ----              ------ ----- -------- ------------- --------- -------- -------- ---------
            fmtview-api-queue      0    50        0             8         2        0        0         0
            fmtview-site           0  1000        0             8         0        0        0         0
            """,
        ["UrlReservation"] = """
            Reserved URL : http://+:8080/api/
            User         : user:alice (Listen: Yes, Delegate: No)
                           user:bob (Listen: Yes, Delegate: No)

            Reserved URL : http://localhost:9000/
            User         : user:carol (Listen: No, Delegate: Yes)
            """,
        ["SslBinding"] = """
            IP:port                      : 0.0.0.0:8443
            Certificate Hash             : (null)
            Application ID               : {00112233-4455-6677-8899-aabbccddeeff}
            Certificate Store Name       : (null)
            Certificate File             : <dir>/certs/cert.pem
            Key File                     : <dir>/certs/key.pem
            Negotiate Client Certificate : Disabled
            Disable HTTP2                : Not Set
            Disable TLS1.2               : Not Set
            Disable TLS1.3               : Not Set
            Disable QUIC                 : Not Set
            Disable OCSP Stapling        : Not Set
            Disable Legacy TLS Versions  : Not Set
            Enable Token Binding         : Not Set
            Log Extended Events          : Not Set
            Enable Session Ticket        : Not Set
            Disable Session ID           : Not Set

            Hostname:port                : www.example.com:443
            Certificate Hash             : (null)
            Application ID               : {00112233-4455-6677-8899-aabbccddeeff}
            Certificate Store Name       : (null)
            Certificate File             : <dir>/certs/cert.pem
            Key File                     : <dir>/certs/key.pem
            Negotiate Client Certificate : Enabled
            Disable HTTP2                : Set
            Disable TLS1.2               : Set
            Disable TLS1.3               : Not Set
            Disable QUIC                 : Not Set
            Disable OCSP Stapling        : Set
            Disable Legacy TLS Versions  : Not Set
            Enable Token Binding         : Not Set
            Log Extended Events          : Set
            Enable Session Ticket        : Not Set
            Disable Session ID           : Set
            """,
        ["TimeoutLimits"] = """
            Idle Connection Timeout (secs)   : inherit
            Header Wait Timeout (secs)       : inherit
            Entity Body Timeout (secs)       : inherit
            Drain Entity Body Timeout (secs) : inherit
            Request Queue Timeout (secs)     : inherit
            Min Send Rate (bytes/sec)        : inherit

            Idle Connection Timeout (secs)   : 60
            Header Wait Timeout (secs)       : 30
            Entity Body Timeout (secs)       : inherit
            Drain Entity Body Timeout (secs) : inherit
            Request Queue Timeout (secs)     : inherit
            Min Send Rate (bytes/sec)        : 500

            Idle Connection Timeout (secs)   : 60
            Header Wait Timeout (secs)       : 30
            Entity Body Timeout (secs)       : 120
            Drain Entity Body Timeout (secs) : 120
            Request Queue Timeout (secs)     : 120
            Min Send Rate (bytes/sec)        : 500
            """,
        ["DevelopmentCertificateFiles"] = """
            Certificate File : <dir>/certs/cert.pem
            Key File         : <dir>/certs/key.pem
            Certificate Hash : <hash>
            Expires          : <date>
            """,
        ["HttpSysResponseCacheEntry"] = """
            Listener      Status Bytes Hits TTL(s) Url
            --------      ------ ----- ---- ------ ---
            fmtview-cache    200   137    1     ## http://localhost:#####/cache/a
            fmtview-cache    200   137    0     ## http://localhost:#####/cache/b?x=1
            """,
        ["HttpSysWebSocketConnection"] = """
            Id Listener State SubProtocol RemoteEndPoint ConnectedAt Path
            -- -------- ----- ----------- -------------- ----------- ----
            <id> fmtview-ws Open chat 127.0.0.1:<port> <time> /ws/room?x=1
            <id> fmtview-ws Open 127.0.0.1:<port> <time> /ws/
            """,
        ["ProvisioningResult"] = """
            Changed Action Kind           Target                                        Warnings
            ------- ------ ----           ------                                        --------
            True    Add    UrlReservation http://+:8080/api/
            False   Add    UrlReservation http://+:8080/api/
            True    Set    HttpSysTimeout IdleConnection, HeaderWait
            True    Remove UrlReservation http://+:8080/api/
            """,
    };
}
