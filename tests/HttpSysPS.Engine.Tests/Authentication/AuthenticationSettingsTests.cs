using HttpSysPS.Engine.Authentication;
using HttpSysPS.Engine.Hosting;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Authentication;

/// <summary>The one mapping from user-typed authentication settings (New-HttpSysListener, httpsys serve) to the engine's options.</summary>
public class AuthenticationSettingsTests
{
    [Theory]
    [InlineData("negotiate,basic", AuthenticationSchemes.Negotiate | AuthenticationSchemes.Basic)]
    [InlineData("Kerberos NTLM", AuthenticationSchemes.Kerberos | AuthenticationSchemes.NTLM)]
    [InlineData("none", AuthenticationSchemes.None)]
    public void Scheme_names_parse_case_insensitively(string text, AuthenticationSchemes expected) =>
        Assert.Equal(expected, ListenerSettings.ParseSchemes(text));

    [Theory]
    [InlineData("digest")]
    [InlineData("8")]
    public void Unknown_scheme_names_and_numbers_are_refused(string text) =>
        Assert.Contains("Negotiate, Kerberos, NTLM, Basic", Assert.Throws<ArgumentException>(() => ListenerSettings.ParseSchemes(text)).Message);

    [Fact]
    public void Settings_map_onto_the_listener_authentication_and_a_realm_without_a_scheme_is_refused()
    {
        var options = new ListenerSettings("l", ["http://127.0.0.1:0/"])
        {
            AuthenticationSchemes = AuthenticationSchemes.Negotiate | AuthenticationSchemes.Basic,
            Realm = "corp",
            AllowAnonymous = false,
            AllowBasicOverHttp = true,
            PamServiceName = "web",
            EnableKerberosCredentialCaching = true,
        }.ToUrlGroupOptions().Authentication;
        Assert.Equal(new AuthenticationOptions
        {
            Schemes = AuthenticationSchemes.Negotiate | AuthenticationSchemes.Basic,
            Realm = "corp",
            AllowAnonymous = false,
            AllowBasicOverHttp = true,
            PamServiceName = "web",
            EnableKerberosCredentialCaching = true,
        }, options);

        Assert.Same(AuthenticationOptions.Disabled, new ListenerSettings("l", ["http://127.0.0.1:0/"]).ToUrlGroupOptions().Authentication);
        Assert.Throws<ArgumentException>(() => new ListenerSettings("l", ["http://127.0.0.1:0/"]) { Realm = "corp" }.ToUrlGroupOptions());
    }

    [Theory]
    [InlineData("--realm", "corp")]
    [InlineData("--auth", "digest")]
    public async Task Serve_refuses_bad_authentication_options_as_a_usage_error(string option, string value)
    {
        var result = await ExternalProcess.RunAsync(BuildOutputs.DotnetHost, [BuildOutputs.HostAssembly, "serve", "--url", "http://127.0.0.1:0/", "--root", ".", option, value]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(option == "--realm" ? "need --auth" : "not an authentication scheme", result.Error);
    }
}
