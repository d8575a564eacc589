using System.Net;
using System.Net.Sockets;
using HttpSysPS.Engine.Authentication;
using HttpSysPS.Engine.Tests.Infrastructure;
using HttpSysPS.Engine.Tests.Tls;
using AuthenticationSchemes = HttpSysPS.Engine.Authentication.AuthenticationSchemes;

namespace HttpSysPS.Engine.Tests.Authentication;

/// <summary>Basic is offered and checked on HTTPS by default (only plain HTTP needs AllowBasicOverHttp), with HttpClient over TLS.</summary>
public sealed class BasicOverHttpsTests
{
    [Fact]
    public async Task HttpClient_over_https_answers_the_Basic_challenge_without_AllowBasicOverHttp()
    {
        using var ca = new TestCertificateAuthority();
        await using var tls = await TlsTestServer.StartAsync();
        await tls.BindAsync("127.0.0.1", ca.IssueServer("localhost"));

        // A second listener on the same https port (HTTP.sys port sharing), authenticating with the scripted mechanism.
        var group = tls.Server.CreateUrlGroup(
            new UrlGroupOptions("auth", [$"https://127.0.0.1:{tls.Port}/auth/"])
            {
                Authentication = new AuthenticationOptions { Schemes = AuthenticationSchemes.Basic, AllowAnonymous = false, Authenticator = new FakeAuthenticator(), Realm = "r" },
            },
            new DelegateHandler(async (context, _) => await context.Response.WriteAsync(AuthenticationTestServer.Describe(context.Request.User))));
        await group.StartAsync();

        // Connections go to 127.0.0.1 (the listener's address) whatever localhost resolves to; SNI stays "localhost".
        HttpClient Client(NetworkCredential? credentials) => new(new SocketsHttpHandler
        {
            Credentials = credentials,
            SslOptions = { RemoteCertificateValidationCallback = ca.Validate },
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, tls.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        }) { Timeout = Bounds.Wait };

        using var anonymous = Client(null);
        using var challenge = await anonymous.GetAsync($"https://localhost:{tls.Port}/auth/");
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        Assert.Equal("Basic realm=\"r\", charset=\"UTF-8\"", Assert.Single(challenge.Headers.WwwAuthenticate).ToString());

        using var client = Client(new NetworkCredential("alice", "s3cret"));
        Assert.Equal("True|alice|Basic|Basic|staff,admins", await client.GetStringAsync($"https://localhost:{tls.Port}/auth/"));
    }
}
