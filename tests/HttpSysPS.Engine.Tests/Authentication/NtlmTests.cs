using System.Net;
using System.Net.Security;
using HttpSysPS.Engine.Authentication;
using HttpSysPS.Engine.Tests.Authentication.Kerberos;
using HttpSysPS.Engine.Tests.Infrastructure;
using AuthenticationSchemes = HttpSysPS.Engine.Authentication.AuthenticationSchemes;

namespace HttpSysPS.Engine.Tests.Authentication;

/// <summary>
/// NTLM through GSSAPI with gss-ntlmssp, its users from the file named by NTLM_USER_FILE (<c>DOMAIN:user:password</c>),
/// set natively for this process (the GSSAPI collection runs alone). Clients: curl's own NTLM (<c>--ntlm</c>) and
/// HttpClient with a NetworkCredential (GSSAPI's NTLM on the client side too).
/// </summary>
[Collection(GssapiCollection.Name)]
public sealed class NtlmTests : IDisposable
{
    private const string Packages = "gss-ntlmssp curl";
    private const string Password = "Ntlm-Pa55";
    private readonly TempDirectory _dir = new();
    private readonly string? _saved = Environment.GetEnvironmentVariable("NTLM_USER_FILE");

    public NtlmTests()
    {
        if (DebianComponents.Missing(Packages, "lib:gssntlmssp/gssntlmssp.so", "curl") is null)
        {
            NativeEnvironment.Set("NTLM_USER_FILE", _dir.Write("ntlm-users", $"HTTPSYS:carol:{Password}\n"));
        }
    }

    private static Task<TestServer> StartAsync() =>
        AuthenticationTestServer.StartAsync(new AuthenticationOptions { Schemes = AuthenticationSchemes.NTLM, AllowAnonymous = false });

    [DebianFact(Packages, "lib:gssntlmssp/gssntlmssp.so", "curl")]
    public async Task Curl_ntlm_is_the_user_and_a_wrong_password_gets_401_with_nothing_of_it_logged()
    {
        DebianComponents.Require(DebianComponents.Missing(Packages, "lib:gssntlmssp/gssntlmssp.so", "curl"));
        await using var server = await StartAsync();
        var curl = DebianComponents.FindCommand("curl")!;

        var ok = await ExternalProcess.RunAsync(curl, ["-s", "--ntlm", "-u", $"HTTPSYS\\carol:{Password}", $"http://127.0.0.1:{server.Port}/"]);
        Assert.Equal("True|HTTPSYS\\carol|NTLM|NTLM|", ok.Output);

        var wrong = await ExternalProcess.RunAsync(curl, ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--ntlm", "-u", "HTTPSYS\\carol:hunter2", $"http://127.0.0.1:{server.Port}/"]);
        Assert.Equal("401", wrong.Output);
        var entries = await server.Events.WaitForRequestsAsync(e => e.Reason == AuthenticationOutcome.LogonFailed, 1);
        Assert.DoesNotContain(server.Events.Requests, e => e.ToString().Contains("hunter2") || e.ToString().Contains("carol"));
    }

    [DebianFact(Packages, "lib:gssntlmssp/gssntlmssp.so", "curl")]
    public async Task HttpClient_with_a_NetworkCredential_is_the_user_and_the_logon_holds_for_its_connection()
    {
        DebianComponents.Require(DebianComponents.Missing(Packages, "lib:gssntlmssp/gssntlmssp.so", "curl"));
        await using var server = await StartAsync();
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, Credentials = new NetworkCredential("carol", Password, "HTTPSYS") }) { Timeout = Bounds.Wait };

        Assert.Equal("True|HTTPSYS\\carol|NTLM|NTLM|", await client.GetStringAsync($"http://127.0.0.1:{server.Port}/"));
        Assert.Equal("True|HTTPSYS\\carol|NTLM|NTLM|", await client.GetStringAsync($"http://127.0.0.1:{server.Port}/again"));

        // The anonymous try and two legs for the first request, none for the second (NTLM credential caching, the
        // HTTP.sys default): HttpClient sends no Authorization on an authenticated connection and the server knows it.
        Assert.Equal([401, 401, 200, 200], (await server.Events.WaitForRequestsAsync(_ => true, 4)).Select(e => e.Status));
    }

    [DebianFact(Packages, "lib:gssntlmssp/gssntlmssp.so", "curl")]
    public async Task A_handshake_split_across_two_connections_is_refused()
    {
        DebianComponents.Require(DebianComponents.Missing(Packages, "lib:gssntlmssp/gssntlmssp.so", "curl"));
        await using var server = await StartAsync();
        using var ntlm = new NegotiateAuthentication(new NegotiateAuthenticationClientOptions
        {
            Package = "NTLM",
            TargetName = "HTTP/localhost",
            Credential = new NetworkCredential("carol", Password, "HTTPSYS"),
        });

        await using var first = await server.ConnectAsync();
        var negotiate = ntlm.GetOutgoingBlob(ReadOnlySpan<byte>.Empty, out _)!;
        var challenge = Assert.Single((await first.GetAsync("NTLM " + Convert.ToBase64String(negotiate))).Challenges());
        var authenticate = ntlm.GetOutgoingBlob(Convert.FromBase64String(challenge["NTLM ".Length..]), out var status)!;
        Assert.Equal(NegotiateAuthenticationStatusCode.Completed, status);

        await using var second = await server.ConnectAsync();
        var response = await second.GetAsync("NTLM " + Convert.ToBase64String(authenticate));
        Assert.Equal(401, response.StatusCode);
        Assert.Equal(["NTLM"], response.Challenges());
    }

    [DebianFact(Packages, "lib:gssntlmssp/gssntlmssp.so", "curl")]
    public async Task Httpsys_serve_with_auth_ntlm_authenticates_curl_against_NTLM_USER_FILE()
    {
        DebianComponents.Require(DebianComponents.Missing(Packages, "lib:gssntlmssp/gssntlmssp.so", "curl"));
        await using var server = await ServeProcess.StartAsync(new Dictionary<string, string> { ["NTLM_USER_FILE"] = Path.Combine(_dir.Path, "ntlm-users") },
            "--auth", "ntlm", "--no-anonymous");
        var ok = await ExternalProcess.RunAsync(DebianComponents.FindCommand("curl")!, ["-s", "--ntlm", "-u", $"HTTPSYS\\carol:{Password}", server.Url]);
        Assert.Equal("True|HTTPSYS\\carol|NTLM|NTLM|", ok.Output);
    }

    public void Dispose()
    {
        if (DebianComponents.Missing(Packages, "lib:gssntlmssp/gssntlmssp.so", "curl") is null)
        {
            NativeEnvironment.Set("NTLM_USER_FILE", _saved);
        }

        _dir.Dispose();
    }
}
