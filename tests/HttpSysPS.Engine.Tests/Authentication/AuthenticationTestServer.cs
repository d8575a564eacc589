using System.Security.Claims;
using HttpSysPS.Engine.Authentication;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Authentication;

/// <summary>
/// A <see cref="TestServer"/> whose listener authenticates with the given options (the fake mechanism unless one is
/// set) and whose handler answers <c>authenticated|name|scheme|mechanism|roles</c>; <c>/deny</c> answers 401.
/// </summary>
internal static class AuthenticationTestServer
{
    public static Task<TestServer> StartAsync(AuthenticationOptions options, Func<UrlGroupOptions, UrlGroupOptions>? configure = null, params string[] prefixes) =>
        TestServer.StartAsync(new DelegateHandler(async (context, _) =>
        {
            if (context.Request.Path == "/deny")
            {
                context.Response.StatusCode = 401;
                return;
            }

            await context.Response.WriteAsync(Describe(context.Request.User));
        }), group => (configure?.Invoke(group) ?? group) with { Authentication = options }, prefixes: prefixes);

    public static string Describe(ClaimsPrincipal user)
    {
        var identity = (ClaimsIdentity)user.Identity!;
        var roles = string.Join(",", identity.FindAll(ClaimTypes.Role).Select(c => c.Value));
        return $"{identity.IsAuthenticated}|{identity.Name}|{identity.AuthenticationType}|{identity.FindFirst(ClaimTypes.AuthenticationMethod)?.Value}|{roles}";
    }

    /// <summary>GET <paramref name="path"/> on an open connection, with an optional Authorization value.</summary>
    public static Task<RawResponse> GetAsync(this RawClient client, string? authorization, string path = "/", string? extra = null) =>
        client.RoundTripAsync($"GET {path} HTTP/1.1\r\nHost: x\r\n{(authorization is null ? "" : $"Authorization: {authorization}\r\n")}{extra}\r\n");

    public static IReadOnlyList<string> Challenges(this RawResponse response) =>
        response.Headers.Where(h => h.Key.Equals("WWW-Authenticate", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToArray();
}
