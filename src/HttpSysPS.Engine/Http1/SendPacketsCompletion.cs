using System.Net.Sockets;

namespace HttpSysPS.Engine.Http1;

/// <summary>Awaits one <see cref="Socket.SendPacketsAsync(SocketAsyncEventArgs)"/> (sendfile on Linux for file elements).</summary>
internal sealed class SendPacketsCompletion : SocketAsyncEventArgs
{
    private TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task SendAsync(Socket socket, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!socket.SendPacketsAsync(this))
        {
            OnCompleted(this);
        }

        return _completion.Task;
    }

    protected override void OnCompleted(SocketAsyncEventArgs e)
    {
        if (e.SocketError == SocketError.Success)
        {
            _completion.TrySetResult();
        }
        else
        {
            _completion.TrySetException(new SocketException((int)e.SocketError));
        }
    }
}
