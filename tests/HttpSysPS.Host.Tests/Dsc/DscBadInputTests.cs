using System.Text.Json.Nodes;

namespace HttpSysPS.Host.Tests.Dsc;

/// <summary>Bad instance JSON: a documented non-zero exit code, one message on stderr, and the store untouched.</summary>
public class DscBadInputTests
{
    public static TheoryData<string, string, string, int> Cases()
    {
        var data = new TheoryData<string, string, string, int>();
        var syntax = new[] { "{\"url\":", "[1,2]", "\"text\"", "null" };
        foreach (var type in new[] { "HttpSysPS/UrlReservation", "HttpSysPS/SslBinding", "HttpSysPS/Timeout" })
        {
            foreach (var operation in new[] { "get", "set", "whatIf", "test", "delete" })
            {
                foreach (var text in syntax)
                {
                    data.Add(type, operation, text, 2);
                }
            }
        }

        foreach (var operation in new[] { "set", "test", "delete" })
        {
            data.Add("HttpSysPS/UrlReservation", operation, """{"url":"http://+:8080/","acl":[{"principal":"svc"}],"acls":[]}""", 2);
            data.Add("HttpSysPS/UrlReservation", operation, """{"url":8080}""", 2);
            data.Add("HttpSysPS/UrlReservation", operation, """{"acl":[{"principal":"svc"}]}""", 2);
            data.Add("HttpSysPS/UrlReservation", operation, """{"url":"http://+:8080/","acl":[{"principal":"svc","listen":"yes"}]}""", 2);
            data.Add("HttpSysPS/UrlReservation", operation, """{"url":"http//+:8080/","acl":[{"principal":"svc"}]}""", 12);
            data.Add("HttpSysPS/SslBinding", operation, """{"key":"0.0.0.0:99999"}""", 21);
            data.Add("HttpSysPS/Timeout", operation, """{"idleConnection":"60"}""", 2);
            data.Add("HttpSysPS/Timeout", operation, """{"idleConnection":65536}""", 21);
            data.Add("HttpSysPS/Timeout", operation, """{"idleConnection":60.5}""", 2);
        }

        data.Add("HttpSysPS/UrlReservation", "set", """{"url":"http://+:8080/","acl":[{"principal":"svc"},{"principal":"user:svc"}]}""", 21);
        data.Add("HttpSysPS/SslBinding", "set", """{"key":"0.0.0.0:443","certificateFile":"/nonexistent/a.crt"}""", 20);
        data.Add("HttpSysPS/SslBinding", "set", """{"key":"0.0.0.0:443","certificateFile":"/a.crt","certificateHash":"00"}""", 2);
        data.Add("HttpSysPS/SslBinding", "set", """{"key":"0.0.0.0:443","certificateFile":"/a.crt","disableTls12":1}""", 2);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInstanceJsonFailsWithADocumentedExitCodeAndLeavesTheStoreAlone(string type, string operation, string instance, int exitCode)
    {
        using var store = new DscStore();
        var resource = DscManifest.Load(type);
        // A populated store, so "untouched" means the same bytes, not merely "still missing".
        File.WriteAllText(store.Path, """
            {"version":1,"urlReservations":[{"url":"http://+:8080/","acl":[{"principal":"user:bob","listen":true,"delegate":false}]}],
             "sslBindings":[],"timeouts":{"entityBody":0,"drainEntityBody":0,"requestQueue":0,"idleConnection":42,"headerWait":0,"minSendBytesPerSecond":0}}
            """);
        var bytes = store.Bytes;

        var result = await resource.InvokeAsync(operation, instance, store.Path);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(exitCode, resource.ExitCodes.Keys);
        Assert.Equal(string.Empty, result.Output);
        var message = (string?)JsonNode.Parse(Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)))!["error"];
        Assert.StartsWith("httpsys: ", message, StringComparison.Ordinal);
        Assert.Equal(bytes, store.Bytes);
    }
}
