namespace Narada.Bench.Load;

/// <summary>
/// Runs blocking socket code on a background thread of its own and reports the outcome as a task: the lean load
/// generator's connections block in receive rather than go through the runtime's epoll thread and thread pool.
/// </summary>
internal static class DedicatedThread
{
    public static Task<T> Run<T>(string name, Func<T> body)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(body());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        { IsBackground = true, Name = name };
        thread.Start();
        return done.Task;
    }
}
