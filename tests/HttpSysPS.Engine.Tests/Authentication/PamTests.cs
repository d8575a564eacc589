using System.Net;
using System.Net.Http.Headers;
using System.Text;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Authentication;

/// <summary>
/// Basic checked by PAM for real, without touching the machine's users: pam_wrapper (LD_PRELOAD, PAM_WRAPPER_SERVICE_DIR)
/// points libpam at a service file of our own whose pam_matrix module reads a password file. The server is
/// <c>httpsys serve --auth basic</c> in its own process, since a preload must be in place when a process starts.
/// </summary>
public sealed class PamTests : IDisposable
{
    private const string Packages = "libpam-wrapper curl";
    private readonly TempDirectory _dir = new();

    private static string? Missing => DebianComponents.Missing(Packages, "lib:libpam_wrapper.so", "lib:pam_wrapper/pam_matrix.so", "curl");

    /// <summary>Writes PAM service <paramref name="service"/> (pam_matrix over a password file with alice) and returns the server environment.</summary>
    private Dictionary<string, string> PamEnvironment(string service = "httpsys")
    {
        DebianComponents.Require(Missing);
        var matrix = DebianComponents.FindLibrary("pam_wrapper/pam_matrix.so")!;
        // alice exists only here; daemon is also an account of the machine (Debian base-passwd), read, not touched.
        var passdb = _dir.Write("passdb", $"alice:wonderland:{service}\ndaemon:daemon-Pa55:{service}\n");
        var rules = $"auth required {matrix} passdb={passdb}\naccount required {matrix} passdb={passdb}\n";
        _dir.Write($"pam.d/{service}", rules);
        _dir.Write("pam.d/other", rules); // libpam reads "other" first; without it pam_wrapper logs an error line
        return new Dictionary<string, string>
        {
            ["LD_PRELOAD"] = DebianComponents.FindLibrary("libpam_wrapper.so")!,
            ["PAM_WRAPPER"] = "1",
            ["PAM_WRAPPER_SERVICE_DIR"] = Path.Combine(_dir.Path, "pam.d"),
        };
    }

    [DebianFact(Packages, "lib:libpam_wrapper.so", "lib:pam_wrapper/pam_matrix.so", "curl")]
    public async Task Curl_and_HttpClient_with_the_right_password_are_the_PAM_user()
    {
        await using var server = await ServeProcess.StartAsync(PamEnvironment(), "--auth", "basic", "--allow-basic-over-http", "--no-anonymous");

        var curl = await ExternalProcess.RunAsync(DebianComponents.FindCommand("curl")!, ["-s", "-u", "alice:wonderland", server.Url]);
        Assert.Equal("True|alice|Basic|Basic|", curl.Output);

        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, Credentials = new NetworkCredential("alice", "wonderland") }) { Timeout = Bounds.Wait };
        Assert.Equal("True|alice|Basic|Basic|", await client.GetStringAsync(server.Url));
    }

    [DebianFact(Packages, "lib:libpam_wrapper.so", "lib:pam_wrapper/pam_matrix.so", "curl")]
    public async Task A_wrong_password_or_an_unknown_user_gets_401_with_a_fresh_challenge_and_no_password_in_the_logs()
    {
        await using var server = await ServeProcess.StartAsync(PamEnvironment(), "--auth", "basic", "--allow-basic-over-http", "--realm", "tests");
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Bounds.Wait };

        foreach (var credentials in new[] { "alice:not-wonderland", "mallory:wonderland" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, server.Url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Basic realm=\"tests\", charset=\"UTF-8\"", Assert.Single(response.Headers.WwwAuthenticate).ToString());
        }

        var output = await server.StopAsync();
        Assert.Equal(2, output.Split('\n').Count(l => l.Contains(" GET / 401 0 ", StringComparison.Ordinal) && l.EndsWith(" Auth_LogonFailed", StringComparison.Ordinal)));
        Assert.DoesNotContain("wonderland", output);
        Assert.DoesNotContain("mallory", output);
    }

    [DebianFact(Packages, "lib:libpam_wrapper.so", "lib:pam_wrapper/pam_matrix.so", "curl")]
    public async Task The_PAM_service_name_is_configurable()
    {
        await using var server = await ServeProcess.StartAsync(PamEnvironment("web-portal"), "--auth", "basic", "--allow-basic-over-http", "--pam-service", "web-portal");

        var curl = await ExternalProcess.RunAsync(DebianComponents.FindCommand("curl")!, ["-s", "-u", "alice:wonderland", server.Url]);
        Assert.Equal("True|alice|Basic|Basic|", curl.Output);
    }

    [DebianFact(Packages, "lib:libpam_wrapper.so", "lib:pam_wrapper/pam_matrix.so", "curl")]
    public async Task A_PAM_user_that_is_a_local_account_gets_its_groups_as_role_claims()
    {
        await using var server = await ServeProcess.StartAsync(PamEnvironment(), "--auth", "basic", "--allow-basic-over-http");
        var groups = (await ExternalProcess.RunAsync("id", ["-Gn", "daemon"])).EnsureSuccess("id -Gn daemon").Output.Trim().Replace(' ', ',');

        var curl = await ExternalProcess.RunAsync(DebianComponents.FindCommand("curl")!, ["-s", "-u", "daemon:daemon-Pa55", server.Url]);
        Assert.Equal($"True|daemon|Basic|Basic|{groups}", curl.Output);
    }

    public void Dispose() => _dir.Dispose();
}
