using HttpSysPS.Engine.Authentication;
using HttpSysPS.Engine.Tests.Infrastructure;
using static HttpSysPS.Engine.Tests.Authentication.FakeAuthenticator;

namespace HttpSysPS.Engine.Tests.Authentication;

/// <summary>
/// The server side of authentication against a scripted mechanism, over raw sockets: challenges and their order,
/// Authorization parsing, handshake state per connection, the handshake cap, failures (401, 400, 503, never 500) and the
/// user the handler sees. The real mechanisms (MIT KDC, gss-ntlmssp, PAM) are tested in the same shape elsewhere.
/// </summary>
public class AuthenticationTests
{
    private const AuthenticationSchemes All = AuthenticationSchemes.Kerberos | AuthenticationSchemes.Negotiate | AuthenticationSchemes.NTLM | AuthenticationSchemes.Basic;
    private static readonly string[] AllChallenges = ["Kerberos", "Negotiate", "NTLM", "Basic realm=\"r\", charset=\"UTF-8\""];

    private static AuthenticationOptions Options(FakeAuthenticator fake, AuthenticationSchemes schemes = All) =>
        new() { Schemes = schemes, Authenticator = fake, Realm = "r", AllowBasicOverHttp = true };

    [Fact]
    public async Task Anonymous_requests_reach_the_handler_and_an_application_401_gets_every_challenge_in_HTTP_sys_order()
    {
        await using var server = await AuthenticationTestServer.StartAsync(Options(new FakeAuthenticator()));
        await using var client = await server.ConnectAsync();

        var anonymous = await client.GetAsync(null);
        Assert.Equal(200, anonymous.StatusCode);
        Assert.Equal("False||||", anonymous.BodyText);
        Assert.Empty(anonymous.Challenges());

        var denied = await client.GetAsync(null, "/deny");
        Assert.Equal(401, denied.StatusCode);
        Assert.Equal(AllChallenges, denied.Challenges());
    }

    [Fact]
    public async Task Without_AllowAnonymous_the_server_answers_401_with_the_challenges_and_the_handler_never_runs()
    {
        var ran = 0;
        await using var server = await TestServer.StartAsync(new DelegateHandler((_, _) => { Interlocked.Increment(ref ran); return ValueTask.CompletedTask; }),
            g => g with { Authentication = Options(new FakeAuthenticator()) with { AllowAnonymous = false } });
        await using var client = await server.ConnectAsync();

        var response = await client.GetAsync(null);
        Assert.Equal(401, response.StatusCode);
        Assert.Equal("0", response.Header("Content-Length"));
        Assert.Equal(AllChallenges, response.Challenges());

        // A scheme the listener does not run is not credentials: still 401, and the connection stays usable.
        Assert.Equal(401, (await client.GetAsync("Bearer abc")).StatusCode);
        Assert.Equal(0, Volatile.Read(ref ran));
    }

    [Fact]
    public async Task Basic_is_neither_offered_nor_checked_on_plain_HTTP_unless_allowed()
    {
        var fake = new FakeAuthenticator();
        await using var server = await AuthenticationTestServer.StartAsync(Options(fake) with { AllowBasicOverHttp = false });
        await using var client = await server.ConnectAsync();

        Assert.Equal(["Kerberos", "Negotiate", "NTLM"], (await client.GetAsync(null, "/deny")).Challenges());
        var response = await client.GetAsync("Basic " + Token("alice:s3cret"));
        Assert.Equal(401, response.StatusCode);
        Assert.Equal(0, fake.PasswordChecks);
        await server.Events.WaitForRequestsAsync(e => e.Reason == AuthenticationOutcome.BasicOverHttp, 1);
    }

    [Fact]
    public async Task A_two_leg_handshake_runs_on_one_connection_and_its_NTLM_logon_holds_for_the_connection()
    {
        var fake = new FakeAuthenticator();
        await using var server = await AuthenticationTestServer.StartAsync(Options(fake, AuthenticationSchemes.NTLM));
        await using var client = await server.ConnectAsync();

        var leg = await client.GetAsync("NTLM " + Token("hello"));
        Assert.Equal(401, leg.StatusCode);
        Assert.Equal("NTLM " + Token("challenge-1"), Assert.Single(leg.Challenges()));

        var done = await client.GetAsync("ntlm " + Token("response-1"));
        Assert.Equal(200, done.StatusCode);
        Assert.Equal("True|alice@TEST|NTLM|NTLM|", done.BodyText);
        Assert.Empty(done.Challenges());
        Assert.Equal(1, fake.Disposed);

        // NTLM credential caching (HTTP.sys default): the next request needs no handshake.
        Assert.Equal("True|alice@TEST|NTLM|NTLM|", (await client.GetAsync(null)).BodyText);
    }

    [Fact]
    public async Task With_NTLM_credential_caching_disabled_each_request_authenticates_again()
    {
        await using var server = await AuthenticationTestServer.StartAsync(Options(new FakeAuthenticator(), AuthenticationSchemes.NTLM) with { DisableNtlmCredentialCaching = true });
        await using var client = await server.ConnectAsync();

        await client.GetAsync("NTLM " + Token("hello"));
        Assert.Equal(200, (await client.GetAsync("NTLM " + Token("response-1"))).StatusCode);
        Assert.Equal("False||||", (await client.GetAsync(null)).BodyText);
    }

    [Fact]
    public async Task A_handshake_is_never_continued_on_another_connection_and_is_disposed_when_its_connection_closes()
    {
        var fake = new FakeAuthenticator();
        await using var server = await AuthenticationTestServer.StartAsync(Options(fake, AuthenticationSchemes.Negotiate));
        var first = await server.ConnectAsync();
        Assert.Equal("Negotiate " + Token("challenge-1"), Assert.Single((await first.GetAsync("Negotiate " + Token("hello"))).Challenges()));

        await using var second = await server.ConnectAsync();
        var stolen = await second.GetAsync("Negotiate " + Token("response-1"));
        Assert.Equal(401, stolen.StatusCode);
        Assert.Equal(["Negotiate"], stolen.Challenges());
        await server.Events.WaitForRequestsAsync(e => e.Reason == AuthenticationOutcome.LogonFailed, 1);
        Assert.Equal(1, fake.Disposed);

        await first.DisposeAsync();
        await server.Events.WaitForRequestsAsync(_ => true, 2);
        await WaitUntilAsync(() => fake.Disposed == 2);
    }

    [Fact]
    public async Task A_completed_Kerberos_handshake_sends_the_mutual_authentication_token_on_the_200_and_holds_for_one_request()
    {
        await using var server = await AuthenticationTestServer.StartAsync(Options(new FakeAuthenticator(), AuthenticationSchemes.Negotiate));
        await using var client = await server.ConnectAsync();

        var response = await client.GetAsync("Negotiate " + Token("kerberos"));
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("True|bob@TEST|Negotiate|Kerberos|", response.BodyText);
        Assert.Equal("Negotiate " + Token("mutual"), Assert.Single(response.Challenges()));

        // Kerberos credential caching is off by default (HTTP.sys): the next request is anonymous.
        Assert.Equal("False||||", (await client.GetAsync(null)).BodyText);
    }

    [Fact]
    public async Task With_Kerberos_credential_caching_the_logon_holds_for_the_connection()
    {
        await using var server = await AuthenticationTestServer.StartAsync(Options(new FakeAuthenticator(), AuthenticationSchemes.Negotiate) with { EnableKerberosCredentialCaching = true });
        await using var client = await server.ConnectAsync();

        await client.GetAsync("Negotiate " + Token("kerberos"));
        Assert.Equal("True|bob@TEST|Negotiate|Kerberos|", (await client.GetAsync(null)).BodyText);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("throw")]
    public async Task A_refused_or_hostile_token_gets_401_with_fresh_challenges_and_the_connection_stays_usable(string token)
    {
        await using var server = await AuthenticationTestServer.StartAsync(Options(new FakeAuthenticator()));
        await using var client = await server.ConnectAsync();

        var response = await client.GetAsync("Negotiate " + Token(token));
        Assert.Equal(401, response.StatusCode);
        Assert.Equal(AllChallenges, response.Challenges());
        var logged = (await server.Events.WaitForRequestsAsync(e => e.Status == 401, 1))[0];
        Assert.Equal(AuthenticationOutcome.LogonFailed, logged.Reason);
        Assert.Equal(200, (await client.GetAsync(null)).StatusCode);
        Assert.Empty(server.Events.HandlerFailures);
    }

    [Fact]
    public async Task A_mechanism_that_cannot_check_gets_503_never_500()
    {
        await using var server = await AuthenticationTestServer.StartAsync(Options(new FakeAuthenticator()));
        await using var client = await server.ConnectAsync();
        Assert.Equal(503, (await client.GetAsync("Negotiate " + Token("internal"))).StatusCode);

        await using var basic = await server.ConnectAsync();
        Assert.Equal(503, (await basic.GetAsync("Basic " + Token("boom:x"))).StatusCode);
        await server.Events.WaitForRequestsAsync(e => e.Reason == AuthenticationOutcome.Internal, 2);
    }

    [Theory]
    [InlineData("Negotiate")]
    [InlineData("Negotiate !!!notbase64")]
    [InlineData("Negotiate a b")]
    [InlineData("Basic")]
    [InlineData("")]
    public async Task A_malformed_Authorization_for_an_enabled_scheme_gets_400_and_the_connection_closes(string value)
    {
        await using var server = await AuthenticationTestServer.StartAsync(Options(new FakeAuthenticator()));
        await using var client = await server.ConnectAsync();

        var response = await client.GetAsync(value);
        Assert.Equal(400, response.StatusCode);
        Assert.Equal("close", response.Header("Connection"));
        await client.ReadToEndAsync();
        Assert.True(client.Closed);
    }

    [Fact]
    public async Task A_Basic_colon_less_value_and_two_Authorization_fields_are_malformed()
    {
        await using var server = await AuthenticationTestServer.StartAsync(Options(new FakeAuthenticator()));
        await using var client = await server.ConnectAsync();
        Assert.Equal(400, (await client.GetAsync("Basic " + Token("alice"))).StatusCode);

        await using var twice = await server.ConnectAsync();
        Assert.Equal(400, (await twice.GetAsync("NTLM " + Token("hello"), extra: $"Authorization: NTLM {Token("hello")}\r\n")).StatusCode);
    }

    [Fact]
    public async Task A_token_over_the_header_field_limit_gets_400()
    {
        var fake = new FakeAuthenticator();
        await using var server = await AuthenticationTestServer.StartAsync(Options(fake));
        await using var client = await server.ConnectAsync();

        // HTTP.sys MaxFieldLength default: 16,384 bytes for one header field.
        var response = await client.GetAsync("Negotiate " + new string('A', 20_000));
        Assert.Equal(400, response.StatusCode);
        Assert.Equal(0, fake.Created);
    }

    [Fact]
    public async Task Handshakes_per_connection_are_capped_then_the_connection_gets_400_and_closes()
    {
        var fake = new FakeAuthenticator();
        await using var server = await AuthenticationTestServer.StartAsync(Options(fake) with { MaxHandshakesPerConnection = 2 });
        await using var client = await server.ConnectAsync();

        Assert.Equal(401, (await client.GetAsync("Negotiate " + Token("wrong"))).StatusCode);
        Assert.Equal(401, (await client.GetAsync("Basic " + Token("alice:guess"))).StatusCode);
        var capped = await client.GetAsync("Basic " + Token("alice:s3cret"));
        Assert.Equal(400, capped.StatusCode);
        Assert.Equal("close", capped.Header("Connection"));
        Assert.Equal(1, fake.PasswordChecks);
        await server.Events.WaitForRequestsAsync(e => e.Reason == AuthenticationOutcome.HandshakeLimit, 1);

        // A new connection starts afresh.
        await using var next = await server.ConnectAsync();
        Assert.Equal(200, (await next.GetAsync("Basic " + Token("alice:s3cret"))).StatusCode);
    }

    [Fact]
    public async Task Successful_handshakes_do_not_count_against_the_cap()
    {
        await using var server = await AuthenticationTestServer.StartAsync(Options(new FakeAuthenticator()) with { MaxHandshakesPerConnection = 2 });
        await using var client = await server.ConnectAsync();

        // Kerberos without credential caching authenticates every request (HTTP.sys default).
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(200, (await client.GetAsync("Negotiate " + Token("kerberos"))).StatusCode);
            Assert.Equal(200, (await client.GetAsync("Basic " + Token("alice:s3cret"))).StatusCode);
        }

        Assert.Equal(401, (await client.GetAsync("Negotiate " + Token("wrong"))).StatusCode);
        Assert.Equal(401, (await client.GetAsync("Negotiate " + Token("wrong"))).StatusCode);
        Assert.Equal(400, (await client.GetAsync("Negotiate " + Token("kerberos"))).StatusCode);
    }

    [Fact]
    public async Task Basic_gives_the_user_with_its_groups_and_a_wrong_password_gets_401_with_nothing_of_it_in_the_log()
    {
        var fake = new FakeAuthenticator();
        await using var server = await AuthenticationTestServer.StartAsync(Options(fake, AuthenticationSchemes.Basic));
        await using var client = await server.ConnectAsync();

        var ok = await client.GetAsync("Basic " + Token("alice:s3cret"));
        Assert.Equal("True|alice|Basic|Basic|staff,admins", ok.BodyText);

        // Basic is per request: the next request without credentials is anonymous.
        Assert.Equal("False||||", (await client.GetAsync(null)).BodyText);

        var wrong = await client.GetAsync("Basic " + Token("alice:hunter2"));
        Assert.Equal(401, wrong.StatusCode);
        Assert.Equal(["Basic realm=\"r\", charset=\"UTF-8\""], wrong.Challenges());
        var entries = await server.Events.WaitForRequestsAsync(_ => true, 3);
        Assert.DoesNotContain(entries, e => e.ToString().Contains("hunter2") || e.ToString().Contains("alice") || e.ToString().Contains(Token("alice:hunter2")));
        Assert.Equal(AuthenticationOutcome.LogonFailed, entries.Last().Reason);
    }

    [Fact]
    public async Task An_authenticated_response_is_never_stored_in_or_served_from_the_response_cache()
    {
        await using var server = await TestServer.StartAsync(new DelegateHandler(async (context, _) =>
        {
            context.Response.Headers["Cache-Control"] = "public, max-age=60";
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(AuthenticationTestServer.Describe(context.Request.User));
        }), g => g with { Authentication = Options(new FakeAuthenticator(), AuthenticationSchemes.NTLM) });
        await using var client = await server.ConnectAsync();

        await client.GetAsync("NTLM " + Token("hello"));
        Assert.Equal("True|alice@TEST|NTLM|NTLM|", (await client.GetAsync("NTLM " + Token("response-1"))).BodyText);
        Assert.Equal("True|alice@TEST|NTLM|NTLM|", (await client.GetAsync(null)).BodyText);

        await using var anonymous = await server.ConnectAsync();
        Assert.Equal("False||||", (await anonymous.GetAsync(null)).BodyText);
    }

    [Fact]
    public void Options_are_validated_with_the_parameter_named()
    {
        Assert.Equal("Schemes", Assert.Throws<ArgumentOutOfRangeException>(() => new AuthenticationOptions { Schemes = (AuthenticationSchemes)2 }).ParamName);
        Assert.Equal("MaxHandshakesPerConnection", Assert.Throws<ArgumentOutOfRangeException>(() => new AuthenticationOptions { MaxHandshakesPerConnection = 0 }).ParamName);
        Assert.Equal("Realm", Assert.Throws<ArgumentOutOfRangeException>(() => new AuthenticationOptions { Realm = "a\"b" }).ParamName);
        Assert.Equal("PamServiceName", Assert.Throws<ArgumentOutOfRangeException>(() => new AuthenticationOptions { PamServiceName = "../x" }).ParamName);
        var defaults = new AuthenticationOptions();
        Assert.True(defaults.AllowAnonymous);
        Assert.False(defaults.IsEnabled);
        Assert.Equal("httpsys", defaults.PamServiceName);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Bounds.Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true in time.");
            await Task.Delay(10);
        }
    }
}
