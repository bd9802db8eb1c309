// Stand-ins with the signatures of the UnityEngine and nakama-unity members that the package's
// Unity glue and its sample call, so that mcs checks those calls outside Unity. They do nothing
// useful: the glue is compiled here, not run.
using System;
using System.Collections.Generic;

namespace UnityEngine
{
    public class Object { }
    public class Component : Object
    {
        public T GetComponent<T>() => default(T);
    }
    public class Behaviour : Component { }
    public class MonoBehaviour : Behaviour { }

    public static class Debug
    {
        public static void Log(object message) { }
        public static void LogError(object message) { }
    }

    public static class PlayerPrefs
    {
        static readonly Dictionary<string, string> Values = new Dictionary<string, string>();
        public static string GetString(string key, string defaultValue) => Values.TryGetValue(key, out var v) ? v : defaultValue;
        public static void SetString(string key, string value) => Values[key] = value;
        public static void DeleteKey(string key) => Values.Remove(key);
        public static void Save() { }
    }

    public static class SystemInfo
    {
        public static string deviceUniqueIdentifier => "stand-in";
    }
}

namespace UnityEngine.Events
{
    public delegate void UnityAction<T0>(T0 arg0);
    public delegate void UnityAction<T0, T1>(T0 arg0, T1 arg1);

    public abstract class UnityEvent<T0>
    {
        public void AddListener(UnityAction<T0> call) { }
        public void Invoke(T0 arg0) { }
    }

    public abstract class UnityEvent<T0, T1>
    {
        public void AddListener(UnityAction<T0, T1> call) { }
        public void Invoke(T0 arg0, T1 arg1) { }
    }
}

namespace UnityEngine.UI
{
    public class Text : Component
    {
        public string text { get; set; }
    }
}

namespace Nakama
{
    public static class ClientExtensions
    {
        public static ISocket NewSocket(this IClient client, bool useMainThread = false, ISocketAdapter defaultAdapter = null) =>
            Socket.From(client, defaultAdapter ?? new WebSocketStdlibAdapter());
    }

    public class UnityWebRequestAdapter : IHttpAdapter
    {
        public static UnityWebRequestAdapter Instance => new UnityWebRequestAdapter();
        public ILogger Logger { get; set; }
        public TransientExceptionDelegate TransientExceptionDelegate => e => false;
        public System.Threading.Tasks.Task<string> SendAsync(string method, Uri uri, IDictionary<string, string> headers, byte[] body, int timeoutSec, System.Threading.CancellationToken? cancellationToken) => throw new NotSupportedException();
    }
}
