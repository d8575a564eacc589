using System.Net;
using HttpSysPS.Engine.Configuration;
using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Tests.Configuration;

public class ModelTests
{
    [Theory]
    [InlineData("bob", PrincipalKind.User, "bob", "user:bob")]
    [InlineData("user:bob", PrincipalKind.User, "bob", "user:bob")]
    [InlineData("USER:bob", PrincipalKind.User, "bob", "user:bob")]
    [InlineData("group:web", PrincipalKind.Group, "web", "group:web")]
    [InlineData("Everyone", PrincipalKind.Everyone, "Everyone", "Everyone")]
    [InlineData("everyone", PrincipalKind.Everyone, "Everyone", "Everyone")]
    [InlineData("\\Everyone", PrincipalKind.Everyone, "Everyone", "Everyone")]
    [InlineData("CONTOSO\\bob", PrincipalKind.User, "bob", "user:bob")]
    [InlineData("BUILTIN\\Users", PrincipalKind.Group, "Users", "group:Users")]
    public void PrincipalSyntax(string text, PrincipalKind kind, string name, string canonical)
    {
        var principal = Principal.Parse(text);
        Assert.Equal(kind, principal.Kind);
        Assert.Equal(name, principal.Name);
        Assert.Equal(canonical, principal.ToString());
        Assert.Equal(principal, Principal.Parse(canonical));
    }

    [Theory]
    [InlineData("")]
    [InlineData("user:")]
    [InlineData("group:a:b")]
    [InlineData("CONTOSO\\")]
    public void BadPrincipalIsInvalidArgument(string text)
    {
        Assert.Equal(HttpSysErrorReason.InvalidArgument, Assert.Throws<HttpSysException>(() => Principal.Parse(text)).Reason);
    }

    [Fact]
    public void ReservationIsNormalisedAndComparesAclInAnyOrder()
    {
        var a = UrlReservation.Create("HTTP://+:8080/Api", ["user:bob", "group:web"]);
        var b = UrlReservation.Create("http://+:8080/api/", ["group:web", "bob"]);
        Assert.Equal("http://+:8080/Api/", a.Url.FullPrefix);
        Assert.Equal(a, b);
        Assert.NotEqual(a, UrlReservation.Create("http://+:8080/api/", ["bob", "group:web"], listen: true, @delegate: true));
    }

    [Theory]
    [InlineData("http://+:0/")]
    [InlineData("http://unix:/run/a.sock")]
    public void ReservationRejectsPortZeroAndUnixSockets(string url)
    {
        Assert.Equal(HttpSysErrorReason.InvalidArgument, Assert.Throws<HttpSysException>(() => UrlReservation.Create(url, ["bob"])).Reason);
    }

    [Fact]
    public void ReservationRejectsMalformedUrlAndEmptyOrDuplicateAcl()
    {
        Assert.Equal(HttpSysErrorReason.MalformedPrefix, Assert.Throws<HttpSysException>(() => UrlReservation.Create("http//x", ["bob"])).Reason);
        Assert.Equal(HttpSysErrorReason.InvalidArgument, Assert.Throws<HttpSysException>(() => UrlReservation.Create("http://+:80/", [])).Reason);
        Assert.Equal(HttpSysErrorReason.InvalidArgument, Assert.Throws<HttpSysException>(() => UrlReservation.Create("http://+:80/", ["bob", "user:bob"])).Reason);
    }

    [Theory]
    [InlineData("0.0.0.0:443", SslBindingKeyKind.IpPort, "0.0.0.0:443")]
    [InlineData("[::]:443", SslBindingKeyKind.IpPort, "[::]:443")]
    [InlineData("[0:0::1]:8443", SslBindingKeyKind.IpPort, "[::1]:8443")]
    [InlineData("10.1.2.3:443", SslBindingKeyKind.IpPort, "10.1.2.3:443")]
    [InlineData("WWW.Contoso.com:443", SslBindingKeyKind.HostnamePort, "www.contoso.com:443")]
    public void SslBindingKeyParsesAndPrintsNetshForm(string text, SslBindingKeyKind kind, string printed)
    {
        var key = SslBindingKey.Parse(text);
        Assert.Equal(kind, key.Kind);
        Assert.Equal(printed, key.ToString());
        Assert.Equal(key, SslBindingKey.Parse(printed));
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("0.0.0.0:0")]
    [InlineData("0.0.0.0:65536")]
    [InlineData("::1:443")]
    [InlineData("[::1:443")]
    [InlineData("+:443")]
    [InlineData("host:44x")]
    public void BadSslBindingKeyIsInvalidArgument(string text)
    {
        Assert.Equal(HttpSysErrorReason.InvalidArgument, Assert.Throws<HttpSysException>(() => SslBindingKey.Parse(text)).Reason);
    }

    [Fact]
    public void NetshKeyKindsAreStrict()
    {
        Assert.Throws<HttpSysException>(() => SslBindingKey.ParseIpPort("www.contoso.com:443"));
        Assert.Throws<HttpSysException>(() => SslBindingKey.ParseHostnamePort("10.0.0.1:443"));
    }

    [Fact]
    public void ThumbprintIsNormalisedAndChecked()
    {
        var reference = SslCertificateReference.FromStore("3d 7a:9f" + new string('0', 34), null);
        Assert.Equal("3D7A9F" + new string('0', 34), reference.Thumbprint);
        Assert.Equal("My", reference.StoreName);
        Assert.Equal(HttpSysErrorReason.InvalidArgument, Assert.Throws<HttpSysException>(() => SslCertificateReference.FromStore("abc")).Reason);
    }

    [Fact]
    public void SslBindingSelectionFollowsSniThenIpThenWildcards()
    {
        var cert = SslCertificateReference.FromFile("/tmp/x.pem");
        SslBinding Bind(string key) => new(SslBindingKey.Parse(key), cert);
        var sni = Bind("www.contoso.com:443");
        var ip = Bind("10.0.0.4:443");
        var v6Any = Bind("[::]:443");
        var any = Bind("0.0.0.0:443");
        var config = ServiceConfig.Empty.WithSslBinding(any).WithSslBinding(v6Any).WithSslBinding(ip).WithSslBinding(sni);

        Assert.Same(sni, config.SelectSslBinding("WWW.contoso.com", IPAddress.Parse("10.0.0.4"), 443));
        Assert.Same(ip, config.SelectSslBinding("other.example", IPAddress.Parse("10.0.0.4"), 443));
        Assert.Same(ip, config.SelectSslBinding(null, IPAddress.Parse("::ffff:10.0.0.4"), 443));
        Assert.Same(any, config.SelectSslBinding(null, IPAddress.Parse("10.0.0.5"), 443));
        Assert.Same(v6Any, config.SelectSslBinding(null, IPAddress.IPv6Loopback, 443));
        Assert.Null(config.SelectSslBinding("www.contoso.com", IPAddress.Loopback, 8443));
        Assert.Same(any, config.WithoutSslBinding(v6Any.Key).SelectSslBinding(null, IPAddress.IPv6Loopback, 443));
    }

    [Fact]
    public void HttpAndHttpsCannotShareAReservedPort()
    {
        var config = ServiceConfig.Empty.WithUrlReservation(UrlReservation.Create("http://+:8080/", ["bob"]));
        var e = Assert.Throws<HttpSysException>(() => config.WithUrlReservation(UrlReservation.Create("https://www.contoso.com:8080/", ["bob"])));
        Assert.Equal(HttpSysErrorReason.SchemePortConflict, e.Reason);
    }

    [Fact]
    public void DifferentAclNeedsForce()
    {
        var config = ServiceConfig.Empty.WithUrlReservation(UrlReservation.Create("http://+:8080/", ["bob"]));
        var alice = UrlReservation.Create("http://+:8080/", ["alice"]);
        Assert.Equal(HttpSysErrorReason.AlreadyExists, Assert.Throws<HttpSysException>(() => config.WithUrlReservation(alice)).Reason);
        var replaced = config.WithUrlReservation(alice, force: true);
        Assert.Equal(alice, Assert.Single(replaced.UrlReservations));
    }

    [Fact]
    public void SslBindingRefusesTokenBindingByName()
    {
        var e = Assert.Throws<HttpSysException>(() => new SslBinding(SslBindingKey.Parse("0.0.0.0:443"), SslCertificateReference.FromFile("/tmp/a.pem"), EnableTokenBinding: true));
        Assert.Equal(HttpSysErrorReason.InvalidArgument, e.Reason);
        Assert.Contains("enabletokenbinding", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The one resumption switch .NET gives a server, from netsh's two flags (docs/https.md "Session resumption").</summary>
    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, false, false)]
    [InlineData(false, true, true)]
    [InlineData(true, true, true)]
    public void SslBindingAllowsResumptionUnlessBothTls12MechanismsAreOff(bool disableSessionId, bool enableSessionTicket, bool allows)
    {
        var binding = new SslBinding(SslBindingKey.Parse("0.0.0.0:443"), SslCertificateReference.FromFile("/tmp/a.pem"), DisableSessionId: disableSessionId, EnableSessionTicket: enableSessionTicket);
        Assert.Equal(allows, binding.AllowsResumption);
    }

    [Fact]
    public void SslBindingAddAndUpdateModes()
    {
        var a = new SslBinding(SslBindingKey.Parse("0.0.0.0:443"), SslCertificateReference.FromFile("/tmp/a.pem"));
        var b = a with { DisableHttp2 = true };
        Assert.Equal(HttpSysErrorReason.NotFound, Assert.Throws<HttpSysException>(() => ServiceConfig.Empty.WithSslBinding(a, SslBindingWriteMode.Update)).Reason);
        var config = ServiceConfig.Empty.WithSslBinding(a, SslBindingWriteMode.Add);
        Assert.Same(config, config.WithSslBinding(a, SslBindingWriteMode.Add));
        Assert.Equal(HttpSysErrorReason.AlreadyExists, Assert.Throws<HttpSysException>(() => config.WithSslBinding(b, SslBindingWriteMode.Add)).Reason);
        Assert.Equal(b, Assert.Single(config.WithSslBinding(b, SslBindingWriteMode.Update).SslBindings));
    }

    [Theory]
    [InlineData(null, "/cfg/env.json", "/cfg/env.json")]
    [InlineData("/cfg/explicit.json", "/cfg/env.json", "/cfg/explicit.json")]
    [InlineData("/cfg/explicit.json", null, "/cfg/explicit.json")]
    public void ConfigPathPrecedenceExplicitThenEnvironment(string? explicitPath, string? environment, string expected)
    {
        var path = ServiceConfigPath.Resolve(explicitPath, name => name == "HTTPSYSPS_CONFIG" ? environment : null);
        Assert.Equal(Path.GetFullPath(expected), path);
    }

    [Fact]
    public void ConfigPathDefaultsToTheMachinePath()
    {
        var path = ServiceConfigPath.Resolve(null, _ => null);
        Assert.Equal(ServiceConfigPath.MachineDefault, path);
        Assert.True(ServiceConfigPath.IsMachineDefault(path));
        Assert.Equal("/etc/httpsysps/config.json", ServiceConfigPath.ForPlatform("linux", "/unused"));
        Assert.Equal("/Library/Application Support/HttpSysPS/config.json", ServiceConfigPath.ForPlatform("macos", "/unused"));
        Assert.Equal(Path.Join("C:\\ProgramData", "HttpSysPS", "config.json"), ServiceConfigPath.ForPlatform("windows", "C:\\ProgramData"));
    }

    [Fact]
    public void UnixGroupsComeFromPrimaryGidAndMemberLists()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("passwd"), "root:x:0:0::/root:/bin/sh\nbob:x:1000:1000::/home/bob:/bin/sh\n");
        File.WriteAllText(dir.File("group"), "root:x:0:\nbob:x:1000:\nweb:x:33:alice, bob\nwheel:x:10:alice\n# comment\nbroken\n");
        Assert.Equal(["bob", "web"], ProcessIdentity.ReadUnixGroups("bob", dir.File("passwd"), dir.File("group")));
        Assert.Empty(ProcessIdentity.ReadUnixGroups("bob", dir.File("missing"), dir.File("missing")));
    }

    [Fact]
    public void CurrentIdentityReportsThisProcess()
    {
        var me = ProcessIdentity.Current();
        Assert.Equal(Environment.UserName, me.UserName);
        Assert.Equal(Environment.IsPrivilegedProcess, me.IsAdministrator);
    }
}
