// The Unity side of RejoinClient, and nothing else: it creates the client on the main thread (so
// every event arrives there), gives it sockets that dispatch on the main thread, keeps tickets in
// PlayerPrefs, forwards the events to UnityEvents a UI can bind in the Inspector, and closes the
// connection with the app. The logic lives in RejoinClient, which runs outside Unity too.
using System;
using Nakama;
using UnityEngine;
using UnityEngine.Events;

namespace NakamaRejoin
{
    [Serializable] public sealed class ReconnectingEvent : UnityEvent<int, float> { }
    [Serializable] public sealed class SeatEvent : UnityEvent<int> { }
    [Serializable] public sealed class ReasonEvent : UnityEvent<string> { }

    public sealed class RejoinBehaviour : MonoBehaviour
    {
        /// <summary>attempt, seconds left before the client gives up.</summary>
        public ReconnectingEvent OnReconnecting = new ReconnectingEvent();
        /// <summary>the seat taken back.</summary>
        public SeatEvent OnResumed = new SeatEvent();
        /// <summary>why the seat is gone.</summary>
        public ReasonEvent OnSeatLost = new ReasonEvent();
        /// <summary>the END reason.</summary>
        public ReasonEvent OnEnded = new ReasonEvent();

        public RejoinClient Client { get; private set; }

        /// <summary>Call on the main thread once signed in; the options' Store defaults to PlayerPrefs.</summary>
        public RejoinClient Create(IClient client, ISession session, RejoinOptions options = null)
        {
            options = options ?? new RejoinOptions();
            if (options.Store == null) options.Store = new PlayerPrefsTokenStore();
            if (options.Log == null) options.Log = Debug.Log;
            // A node followed after an `elsewhere` answer gets the same kind of client and main-thread sockets.
            if (options.NodeClient == null) options.NodeClient = a => new Client(a.Scheme, a.Host, a.Port, client.ServerKey, UnityWebRequestAdapter.Instance) { Timeout = client.Timeout };
            if (options.NodeSocket == null) options.NodeSocket = c => c.NewSocket(true);
            Client?.Close();
            Client = new RejoinClient(client, session, () => client.NewSocket(true), options);
            Client.Reconnecting += e => OnReconnecting.Invoke(e.Attempt, e.MsLeft / 1000f);
            Client.Resumed += e => OnResumed.Invoke(e.Seat);
            Client.SeatLost += e => OnSeatLost.Invoke(e.Reason);
            Client.Ended += e => OnEnded.Invoke(e.Reason);
            return Client;
        }

        void OnApplicationQuit()
        {
            // Not a quit from the match: the seat stays reserved for its grace window.
            Client?.Close();
        }

        void OnDestroy()
        {
            Client?.Close();
        }
    }
}
