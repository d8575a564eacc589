using System.Net.Sockets;

namespace HttpSysPS.Engine.Connections;

/// <summary>What every accept loop of one server reports to, the clock its back-off waits on, and the descriptor reserve it lends.</summary>
/// <param name="OnAccepted">Takes an accepted connection. If it throws, the loop closes that socket, warns, and goes on accepting.</param>
/// <param name="Warn">Receives warnings (a failed accepted-callback, descriptor exhaustion and recovery).</param>
/// <param name="Time">The clock for the back-off delays while the process is out of descriptors.</param>
/// <param name="Reserve">The descriptors lent to the process while accept cannot get one.</param>
internal sealed record AcceptCallbacks(Action<Socket, ListenEndpoint> OnAccepted, Action<string> Warn, TimeProvider Time, DescriptorReserve Reserve);
