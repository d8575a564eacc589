using System.Text.Json.Nodes;

namespace HttpSysPS.Host.Tests.Dsc;

public class UrlReservationDscTests
{
    private readonly DscManifest _resource = DscManifest.Load("HttpSysPS/UrlReservation");
    private readonly DscSchemas _schemas = new();

    [Fact]
    public async Task TestSetGetExportDeleteRoundTripAndASecondSetChangesNothing()
    {
        using var store = new DscStore();
        var schema = _schemas.Instance(_resource);
        const string Desired = """{"url":"HTTP://+:8080/api","acl":[{"principal":"svc"},{"principal":"group:web","listen":false,"delegate":true}]}""";

        var before = (await _resource.InvokeAsync("test", Desired, store.Path)).Ok();
        Assert.False((bool)before.State["_inDesiredState"]!);
        Assert.False((bool)before.State["_exist"]!);
        Assert.Equal(["_exist"], before.Diff);
        Assert.Empty(DscSchemas.Errors(schema, before.State));
        Assert.Empty(store.Bytes);

        var set = (await _resource.InvokeAsync("set", Desired, store.Path)).Ok();
        Assert.Equal(["_exist"], set.Diff);
        Assert.Equal("http://+:8080/api/", (string?)set.State["url"]);
        Assert.True((bool)set.State["_exist"]!);
        Assert.Equal("""[{"principal":"user:svc","listen":true,"delegate":false},{"principal":"group:web","listen":false,"delegate":true}]""", set.State["acl"]!.ToJsonString());
        Assert.Empty(DscSchemas.Errors(schema, set.State));
        var written = store.Bytes;

        var again = (await _resource.InvokeAsync("set", Desired, store.Path)).Ok();
        Assert.Empty(again.Diff);
        Assert.Equal(written, store.Bytes);

        // The ACL is a set: the same entries in another order, principals in another spelling, are in the desired state.
        var reordered = """{"url":"http://+:8080/api/","acl":[{"principal":"group:web","listen":false,"delegate":true},{"principal":"user:svc"}],"_exist":true}""";
        var after = (await _resource.InvokeAsync("test", reordered, store.Path)).Ok();
        Assert.True((bool)after.State["_inDesiredState"]!);
        Assert.Empty(after.Diff);

        var got = (await _resource.InvokeAsync("get", """{"url":"http://+:8080/api"}""", store.Path)).Ok();
        Assert.Equal(set.State.ToJsonString(), got.State.ToJsonString());
        Assert.Empty(DscSchemas.Errors(schema, got.State));

        var exported = (await _resource.InvokeAsync("export", null, store.Path)).Ok();
        Assert.Equal(set.State.ToJsonString(), Assert.Single(exported.Lines).ToJsonString());

        (await _resource.InvokeAsync("delete", """{"url":"http://+:8080/api/"}""", store.Path)).Ok();
        var gone = (await _resource.InvokeAsync("get", """{"url":"http://+:8080/api/"}""", store.Path)).Ok();
        Assert.False((bool)gone.State["_exist"]!);
        Assert.Null(gone.State["acl"]);
        Assert.Empty((await _resource.InvokeAsync("export", null, store.Path)).Ok().Lines);
        var deletedBytes = store.Bytes;
        (await _resource.InvokeAsync("delete", """{"url":"http://+:8080/api/"}""", store.Path)).Ok();
        Assert.Equal(deletedBytes, store.Bytes);
    }

    [Fact]
    public async Task TestReportsTheAclAloneWhenOnlyTheAclDiffersAndSetReplacesIt()
    {
        using var store = new DscStore();
        (await _resource.InvokeAsync("set", """{"url":"http://+:8080/","acl":[{"principal":"svc"}]}""", store.Path)).Ok();

        const string Other = """{"url":"http://+:8080/","acl":[{"principal":"svc","delegate":true}]}""";
        var test = (await _resource.InvokeAsync("test", Other, store.Path)).Ok();
        Assert.Equal(["acl"], test.Diff);

        var whatIf = (await _resource.InvokeAsync("whatIf", Other, store.Path)).Ok();
        Assert.Equal(["acl"], whatIf.Diff);
        Assert.True((bool)whatIf.State["acl"]![0]!["delegate"]!);
        var stored = store.Bytes;

        var set = (await _resource.InvokeAsync("set", Other, store.Path)).Ok();
        Assert.Equal(["acl"], set.Diff);
        Assert.NotEqual(stored, store.Bytes);
        Assert.True((bool)set.State["acl"]![0]!["delegate"]!);
    }

    [Fact]
    public async Task ExistFalseRemovesTheReservation()
    {
        using var store = new DscStore();
        (await _resource.InvokeAsync("set", """{"url":"http://+:8080/","acl":[{"principal":"Everyone"}]}""", store.Path)).Ok();

        const string Absent = """{"url":"http://+:8080/","_exist":false}""";
        Assert.Equal(["_exist"], (await _resource.InvokeAsync("test", Absent, store.Path)).Ok().Diff);
        var set = (await _resource.InvokeAsync("set", Absent, store.Path)).Ok();
        Assert.Equal(["_exist"], set.Diff);
        Assert.False((bool)set.State["_exist"]!);
        Assert.Empty((await _resource.InvokeAsync("set", Absent, store.Path)).Ok().Diff);
        Assert.True((bool)(await _resource.InvokeAsync("test", Absent, store.Path)).Ok().State["_inDesiredState"]!);
    }

    [Fact]
    public async Task ConflictsFailWithTheEngineReasonAndChangeNothing()
    {
        using var store = new DscStore();
        (await _resource.InvokeAsync("set", """{"url":"http://+:8080/","acl":[{"principal":"svc"}]}""", store.Path)).Ok();
        var bytes = store.Bytes;

        // http and https on one port: SchemePortConflict, exit 10 + 4, in what-if as in set.
        foreach (var operation in new[] { "whatIf", "set" })
        {
            var conflict = await _resource.InvokeAsync(operation, """{"url":"https://+:8080/","acl":[{"principal":"svc"}]}""", store.Path);
            Assert.Equal(14, conflict.ExitCode);
            Assert.Contains(14, _resource.ExitCodes.Keys);
            Assert.Contains("cannot share a port", (string?)JsonNode.Parse(conflict.Error.Trim())!["error"], StringComparison.Ordinal);
            Assert.Equal(bytes, store.Bytes);
        }

        var noAcl = await _resource.InvokeAsync("set", """{"url":"http://+:9090/"}""", store.Path);
        Assert.Equal(2, noAcl.ExitCode);
        Assert.Contains("without an 'acl'", noAcl.Error, StringComparison.Ordinal);
        Assert.Equal(bytes, store.Bytes);
    }

    [Fact]
    public async Task ExportTakesAFilterThroughTheManifestsJsonInputArgument()
    {
        using var store = new DscStore();
        (await _resource.InvokeAsync("set", """{"url":"http://+:8080/a/","acl":[{"principal":"svc"}]}""", store.Path)).Ok();
        (await _resource.InvokeAsync("set", """{"url":"http://+:8080/b/","acl":[{"principal":"svc"}]}""", store.Path)).Ok();

        Assert.Equal(2, (await _resource.InvokeAsync("export", null, store.Path)).Ok().Lines.Count);
        var filtered = (await _resource.InvokeAsync("export", """{"url":"HTTP://+:8080/b"}""", store.Path)).Ok();
        Assert.Equal("http://+:8080/b/", (string?)Assert.Single(filtered.Lines)["url"]);
    }
}
