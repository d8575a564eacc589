namespace HttpSysPS.Engine.Http1;

/// <summary>
/// The sends of an upgraded connection, made behind the writer: a write copies its bytes into a pooled buffer and
/// returns, and one send loop on the thread pool sends what has gathered meanwhile (as Kestrel's transport does with
/// its pipe), so a handler's write does not wait for the network, and writes made while a send is under way leave
/// together. Above <see cref="HighWater"/> bytes waiting, a write waits until the loop has taken them. A failed send
/// fails every later write and drops the connection.
/// </summary>
internal sealed class UpgradedSendQueue
{
    /// <summary>Bytes a writer may have waiting before its writes wait for the network.</summary>
    private const int HighWater = 64 * 1024;


    private readonly Stream _stream;
    private readonly Action _abort;
    private readonly object _lock = new();
    private OutputBuffer _pending = new();
    private OutputBuffer _sending = new();
    private bool _running;
    private Exception? _failure;
    private TaskCompletionSource? _roomFreed;
    private TaskCompletionSource? _idle;

    public UpgradedSendQueue(Stream stream, Action abort)
    {
        _stream = stream;
        _abort = abort;
    }

    /// <summary>Queues <paramref name="data"/>; completes at once unless too much is waiting already.</summary>
    public ValueTask WriteAsync(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            if (_failure is not null)
            {
                return ValueTask.FromException(new IOException("The connection failed while sending.", _failure));
            }

            _pending.Write(data);
            StartLoop();
            if (_pending.Length < HighWater)
            {
                return ValueTask.CompletedTask;
            }

            _roomFreed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return new ValueTask(_roomFreed.Task);
        }
    }

    /// <summary>Queues what <paramref name="output"/> holds (the 101 head) and empties it.</summary>
    public void Enqueue(OutputBuffer output)
    {
        lock (_lock)
        {
            _pending.Append(output);
            StartLoop();
        }
    }

    /// <summary>Sends what is queued and completes when everything queued so far has been sent (or the connection failed).</summary>
    public Task WhenSentAsync()
    {
        lock (_lock)
        {
            StartLoop();
            if (!_running || _failure is not null)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }

    private void StartLoop()
    {
        if (!_running && _pending.HasData)
        {
            _running = true;
            ThreadPool.UnsafeQueueUserWorkItem(static queue => _ = queue.SendLoopAsync(), this, preferLocal: true);
        }
    }

    private async Task SendLoopAsync()
    {
        while (true)
        {

            TaskCompletionSource? roomFreed, idle = null;
            bool done;
            lock (_lock)
            {
                roomFreed = _roomFreed;
                _roomFreed = null;
                done = !_pending.HasData;
                if (done)
                {
                    _running = false;
                    idle = _idle;
                    _idle = null;
                }
                else
                {
                    (_pending, _sending) = (_sending, _pending);
                }
            }

            roomFreed?.TrySetResult();
            if (done)
            {
                idle?.TrySetResult();
                return;
            }

            try
            {
                await _sending.FlushToAsync(_stream, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Fail(e);
                return;
            }
        }
    }

    private void Fail(Exception e)
    {
        TaskCompletionSource? roomFreed, idle;
        lock (_lock)
        {
            _failure = e;
            _running = false;
            _pending.Clear();
            roomFreed = _roomFreed;
            idle = _idle;
            _roomFreed = _idle = null;
        }

        roomFreed?.TrySetException(new IOException("The connection failed while sending.", e));
        idle?.TrySetResult();
        _abort();
    }
}
