using System.Text.Json.Nodes;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Host.Dsc;

/// <summary>
/// <c>HttpSysPS/UrlReservation</c>: one URL reservation (netsh urlacl). Key <c>url</c>; <c>acl</c> is a list of
/// <c>{principal, listen, delegate}</c> (listen defaults to true, delegate to false, as in netsh); <c>_exist</c>.
/// Set replaces the ACL of an existing reservation (a desired state, not netsh's add), and an absent <c>acl</c>
/// is not managed: test ignores it, and set can only keep or remove the reservation without it.
/// </summary>
internal sealed class UrlReservationResource : IDscResource
{
    public string Name => "urlreservation";

    public JsonObject Get(ServiceConfig config, DscInput input)
    {
        var url = ReadUrl(input);
        input.RejectUnknown();
        return State(url.FullPrefix, config.FindUrlReservation(url));
    }

    public DscPlan Plan(ServiceConfig config, DscInput input)
    {
        var url = ReadUrl(input);
        var acl = input.Objects("acl", ReadAce);
        var exist = input.Exist;
        input.RejectUnknown();

        // Built before comparing, so an invalid ACL (duplicate principal, bad name) fails test as well as set.
        var desired = acl is null ? null : new UrlReservation(url, acl);
        var actual = config.FindUrlReservation(url);
        var differences = new List<string>();
        if (exist != actual is not null)
        {
            differences.Add("_exist");
        }
        else if (exist && desired is not null && !desired.Equals(actual))
        {
            differences.Add("acl");
        }

        // Test may ask "does it exist?" without an ACL; only creating one needs it.
        UrlReservation Desired() => desired ?? throw new DscInputException($"Cannot create the reservation '{url}' without an 'acl' (e.g. [{{\"principal\":\"user:svc\"}}]).");
        return new DscPlan(
            State(url.FullPrefix, actual),
            differences,
            store => !exist ? store.RemoveUrlReservation(url)
                : differences.Count == 0 ? ConfigChangeResult.NoChange
                : store.AddUrlReservation(Desired(), force: true),
            current => !exist ? current.WithoutUrlReservation(url)
                : differences.Count == 0 ? current
                : current.WithUrlReservation(Desired(), force: true),
            new JsonObject { ["url"] = url.FullPrefix }.ToJsonString());
    }

    public ConfigChangeResult Delete(ServiceConfigStore store, DscInput input)
    {
        var url = ReadUrl(input);
        input.RejectUnknown();
        return store.RemoveUrlReservation(url);
    }

    public IEnumerable<JsonObject> Export(ServiceConfig config, DscInput input)
    {
        var filter = input.Has("url") ? ReadUrl(input) : null;
        input.RejectUnknown();
        return config.UrlReservations.Where(r => filter is null || r.Url.Equals(filter)).Select(r => State(r.Url.FullPrefix, r));
    }

    private static Engine.Routing.UrlPrefix ReadUrl(DscInput input) => UrlReservation.ParseUrl(input.String("url", required: true)!);

    private static UrlReservationAce ReadAce(DscInput ace) =>
        new(Principal.Parse(ace.String("principal", required: true)!), ace.Bool("listen") ?? true, ace.Bool("delegate") ?? false);

    private static JsonObject State(string url, UrlReservation? reservation)
    {
        var state = new JsonObject { ["url"] = url };
        if (reservation is not null)
        {
            state["acl"] = new JsonArray(reservation.Acl
                .Select(a => (JsonNode)new JsonObject { ["principal"] = a.Principal.ToString(), ["listen"] = a.Listen, ["delegate"] = a.Delegate })
                .ToArray());
        }

        state["_exist"] = reservation is not null;
        return state;
    }
}
