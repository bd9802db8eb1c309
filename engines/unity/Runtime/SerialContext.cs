// Runs posted work one item at a time, with itself as the SynchronizationContext, so awaits inside
// it continue on it. Unity's main thread is such a context already; elsewhere (a console tool, a
// bot, a test) RejoinClient runs in one of these.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace NakamaRejoin
{
    public sealed class SerialContext : SynchronizationContext
    {
        readonly Queue<KeyValuePair<SendOrPostCallback, object>> _queue = new Queue<KeyValuePair<SendOrPostCallback, object>>();
        bool _running;

        /// <summary>Called with any exception that escapes posted work.</summary>
        public Action<Exception> OnError;

        public override void Post(SendOrPostCallback d, object state)
        {
            lock (_queue)
            {
                _queue.Enqueue(new KeyValuePair<SendOrPostCallback, object>(d, state));
                if (_running) return;
                _running = true;
            }
            ThreadPool.QueueUserWorkItem(_ => Drain());
        }

        public override void Send(SendOrPostCallback d, object state)
        {
            using (var done = new ManualResetEventSlim())
            {
                Exception error = null;
                Post(s =>
                {
                    try { d(s); }
                    catch (Exception e) { error = e; }
                    finally { done.Set(); }
                }, state);
                done.Wait();
                if (error != null) throw error;
            }
        }

        public override SynchronizationContext CreateCopy() => this;

        void Drain()
        {
            var previous = Current;
            SetSynchronizationContext(this);
            try
            {
                while (true)
                {
                    KeyValuePair<SendOrPostCallback, object> item;
                    lock (_queue)
                    {
                        if (_queue.Count == 0)
                        {
                            _running = false;
                            return;
                        }
                        item = _queue.Dequeue();
                    }
                    try
                    {
                        item.Key(item.Value);
                    }
                    catch (Exception e)
                    {
                        OnError?.Invoke(e);
                    }
                }
            }
            finally
            {
                SetSynchronizationContext(previous);
            }
        }

        /// <summary>Runs an async function inside this context and returns its task.</summary>
        public Task<T> Run<T>(Func<Task<T>> work)
        {
            var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            Post(async _ =>
            {
                try { tcs.TrySetResult(await work()); }
                catch (Exception e) { tcs.TrySetException(e); }
            }, null);
            return tcs.Task;
        }

        public Task Run(Func<Task> work) => Run(async () => { await work(); return true; });
    }
}
