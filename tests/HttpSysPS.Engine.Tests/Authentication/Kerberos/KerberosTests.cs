using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using HttpSysPS.Engine.Authentication;
using HttpSysPS.Engine.Tests.Infrastructure;
using AuthenticationSchemes = HttpSysPS.Engine.Authentication.AuthenticationSchemes;

namespace HttpSysPS.Engine.Tests.Authentication.Kerberos;

/// <summary>
/// Negotiate and Kerberos against a real MIT KDC (<see cref="KdcFixture"/>), with the clients users run: curl
/// <c>--negotiate -u :</c> after kinit, and HttpClient with default credentials. The server is the engine in this
/// process, accepting with the HTTP/localhost keytab through NegotiateAuthentication (GSSAPI).
/// </summary>
[Collection(GssapiCollection.Name)]
public sealed class KerberosTests(KdcFixture kdc)
{
    private const string Packages = KdcFixture.Packages;
    private const string Expected = "True|alice@HTTPSYS.TEST|Negotiate|Kerberos|";

    private static Task<TestServer> StartAsync(AuthenticationSchemes schemes = AuthenticationSchemes.Negotiate | AuthenticationSchemes.Kerberos) =>
        AuthenticationTestServer.StartAsync(new AuthenticationOptions { Schemes = schemes, AllowAnonymous = false });

    [DebianFact(Packages, "krb5kdc", "kdb5_util", "kadmin.local", "kinit", "curl")]
    public async Task Curl_negotiate_after_kinit_is_the_principal_and_gets_the_mutual_authentication_token()
    {
        kdc.Require();
        await using var server = await StartAsync();
        var result = await ExternalProcess.RunAsync(DebianComponents.FindCommand("curl")!,
            ["-s", "-i", "--negotiate", "-u", ":", "--resolve", $"localhost:{server.Port}:127.0.0.1", $"http://localhost:{server.Port}/"], kdc.ClientEnvironment);

        Assert.Equal(0, result.ExitCode);
        var final = result.Output[result.Output.LastIndexOf("HTTP/1.1 ", StringComparison.Ordinal)..];
        Assert.StartsWith("HTTP/1.1 200", final);
        Assert.Matches(@"WWW-Authenticate: Negotiate [A-Za-z0-9+/=]{16,}", final);
        Assert.EndsWith(Expected, final);
    }

    [DebianFact(Packages, "krb5kdc", "kdb5_util", "kadmin.local", "kinit", "curl")]
    public async Task HttpClient_with_default_credentials_is_the_principal()
    {
        kdc.Require();
        await using var server = await StartAsync(AuthenticationSchemes.Negotiate);
        using var client = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            Credentials = CredentialCache.DefaultCredentials,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        }) { Timeout = Bounds.Wait };

        var response = await client.GetAsync($"http://localhost:{server.Port}/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Expected, await response.Content.ReadAsStringAsync());
    }

    [DebianFact(Packages, "krb5kdc", "kdb5_util", "kadmin.local", "kinit", "curl")]
    public async Task The_Kerberos_scheme_takes_a_bare_Kerberos_token()
    {
        kdc.Require();
        await using var server = await StartAsync(AuthenticationSchemes.Kerberos);
        await using var client = await server.ConnectAsync();

        var response = await client.GetAsync("Kerberos " + Convert.ToBase64String(ClientToken("Kerberos", "HTTP/localhost")));
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("True|alice@HTTPSYS.TEST|Kerberos|Kerberos|", response.BodyText);
    }

    [DebianFact(Packages, "krb5kdc", "kdb5_util", "kadmin.local", "kinit", "curl")]
    public async Task A_ticket_for_another_service_gets_401_with_fresh_challenges()
    {
        kdc.Require();
        await using var server = await StartAsync();
        await using var client = await server.ConnectAsync();

        var response = await client.GetAsync("Negotiate " + Convert.ToBase64String(ClientToken("Negotiate", "HTTP/other")));
        Assert.Equal(401, response.StatusCode);
        Assert.Equal(["Kerberos", "Negotiate"], response.Challenges());
        await server.Events.WaitForRequestsAsync(e => e.Reason == AuthenticationOutcome.LogonFailed, 1);
    }

    [DebianFact(Packages, "krb5kdc", "kdb5_util", "kadmin.local", "kinit", "curl")]
    public async Task A_replayed_token_is_refused_on_another_connection()
    {
        kdc.Require();
        await using var server = await StartAsync();
        var token = "Negotiate " + Convert.ToBase64String(ClientToken("Negotiate", "HTTP/localhost"));

        await using (var first = await server.ConnectAsync())
        {
            Assert.Equal(200, (await first.GetAsync(token)).StatusCode);
        }

        await using var replay = await server.ConnectAsync();
        var response = await replay.GetAsync(token);
        Assert.Equal(401, response.StatusCode);
        Assert.Equal(["Kerberos", "Negotiate"], response.Challenges());
    }

    [DebianFact(Packages, "krb5kdc", "kdb5_util", "kadmin.local", "kinit", "curl")]
    public async Task Garbage_truncated_and_oversized_tokens_get_401_or_400_and_nothing_of_them_is_logged()
    {
        kdc.Require();
        await using var server = await StartAsync();
        var real = ClientToken("Negotiate", "HTTP/localhost");
        var garbage = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes("definitely not an SPNEGO token"));
        var truncated = Convert.ToBase64String(real.AsSpan(0, real.Length / 2));

        await using var client = await server.ConnectAsync();
        Assert.Equal(401, (await client.GetAsync("Negotiate " + garbage)).StatusCode);
        Assert.Equal(401, (await client.GetAsync("Negotiate " + truncated)).StatusCode);
        await using var big = await server.ConnectAsync();
        Assert.Equal(400, (await big.GetAsync("Negotiate " + Convert.ToBase64String(new byte[20_000]))).StatusCode);

        var entries = await server.Events.WaitForRequestsAsync(_ => true, 3);
        Assert.DoesNotContain(entries, e => e.ToString().Contains(garbage) || e.ToString().Contains(truncated) || e.ToString().Contains("alice"));
        Assert.Empty(server.Events.HandlerFailures);
    }

    [DebianFact(Packages, "krb5kdc", "kdb5_util", "kadmin.local", "kinit", "curl")]
    public async Task Httpsys_serve_with_auth_negotiate_authenticates_curl_with_the_keytab_from_KRB5_KTNAME()
    {
        kdc.Require();
        await using var server = await ServeProcess.StartAsync(kdc.ServerEnvironment, "--auth", "negotiate", "--no-anonymous");
        var result = await ExternalProcess.RunAsync(DebianComponents.FindCommand("curl")!,
            ["-s", "--negotiate", "-u", ":", "--resolve", $"localhost:{server.Port}:127.0.0.1", $"http://localhost:{server.Port}/"], kdc.ClientEnvironment);
        Assert.Equal(Expected, result.Output);
    }

    /// <summary>A first Kerberos/SPNEGO token from alice's ticket cache for <paramref name="target"/>, made by the BCL client.</summary>
    private static byte[] ClientToken(string package, string target)
    {
        using var client = new NegotiateAuthentication(new NegotiateAuthenticationClientOptions
        {
            Package = package,
            TargetName = target,
            Credential = CredentialCache.DefaultNetworkCredentials,
        });
        var token = client.GetOutgoingBlob(ReadOnlySpan<byte>.Empty, out var status);
        Assert.True(status is NegotiateAuthenticationStatusCode.ContinueNeeded or NegotiateAuthenticationStatusCode.Completed, $"client token for {target}: {status}");
        return token!;
    }
}
