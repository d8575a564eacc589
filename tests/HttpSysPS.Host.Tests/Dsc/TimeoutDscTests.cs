using System.Text.Json.Nodes;

namespace HttpSysPS.Host.Tests.Dsc;

public class TimeoutDscTests
{
    private readonly DscManifest _resource = DscManifest.Load("HttpSysPS/Timeout");
    private readonly DscSchemas _schemas = new();

    [Fact]
    public async Task OnlyTheNamedTimersAreManagedAndDeleteRestoresTheDefaults()
    {
        using var store = new DscStore();
        var schema = _schemas.Instance(_resource);

        var empty = (await _resource.InvokeAsync("get", null, store.Path)).Ok();
        Assert.Equal(0, (int)empty.State["idleConnection"]!);
        Assert.Equal(120, (int)empty.State["effective"]!["idleConnection"]!);
        Assert.Empty(DscSchemas.Errors(schema, empty.State));

        var set = (await _resource.InvokeAsync("set", """{"idleConnection":60,"headerWait":30}""", store.Path)).Ok();
        Assert.Equal(["idleConnection", "headerWait"], set.Diff);
        Assert.Equal(60, (int)set.State["effective"]!["idleConnection"]!);
        var written = store.Bytes;
        Assert.Empty((await _resource.InvokeAsync("set", """{"idleConnection":60,"headerWait":30}""", store.Path)).Ok().Diff);
        Assert.Equal(written, store.Bytes);

        var test = (await _resource.InvokeAsync("test", """{"idleConnection":60,"headerWait":31,"entityBody":0}""", store.Path)).Ok();
        Assert.Equal(["headerWait"], test.Diff);
        Assert.Empty(DscSchemas.Errors(schema, test.State));

        // A timer not named keeps its value: set of headerWait alone leaves idleConnection at 60.
        var whatIf = (await _resource.InvokeAsync("whatIf", """{"headerWait":65535}""", store.Path)).Ok();
        Assert.Equal(["headerWait"], whatIf.Diff);
        Assert.Equal(60, (int)whatIf.State["idleConnection"]!);
        Assert.Equal(65535, (int)whatIf.State["effective"]!["headerWait"]!);
        Assert.Equal(written, store.Bytes);

        var exported = Assert.Single((await _resource.InvokeAsync("export", null, store.Path)).Ok().Lines);
        Assert.Equal(30, (int)exported["headerWait"]!);

        (await _resource.InvokeAsync("delete", "{}", store.Path)).Ok();
        var reset = (await _resource.InvokeAsync("get", "{}", store.Path)).Ok();
        Assert.All(new[] { "entityBody", "drainEntityBody", "requestQueue", "idleConnection", "headerWait", "minSendBytesPerSecond" },
            t => Assert.Equal(0L, (long)reset.State[t]!));
    }
}
