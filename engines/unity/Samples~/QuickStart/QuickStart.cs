// Wires ArenaSeat to a scene: sign in with the device id, play, and show what RejoinBehaviour
// reports in a Text. Attach to a GameObject that has a RejoinBehaviour.
using Nakama;
using UnityEngine;
using UnityEngine.UI;

namespace NakamaRejoin.Samples
{
    public sealed class QuickStart : MonoBehaviour
    {
        public string Scheme = "http";
        public string Host = "127.0.0.1";
        public int Port = 7350;
        public string ServerKey = "defaultkey";
        public string Mode = "ranked";
        public Text Status;

        async void Start()
        {
            var client = new Client(Scheme, Host, Port, ServerKey, UnityWebRequestAdapter.Instance);
            var session = await client.AuthenticateDeviceAsync(SystemInfo.deviceUniqueIdentifier);
            var rejoin = GetComponent<RejoinBehaviour>();
            // Main-thread sockets, tickets in PlayerPrefs.
            var rejoinClient = rejoin.Create(client, session);
            rejoin.OnReconnecting.AddListener((attempt, secondsLeft) => Status.text = $"Reconnecting ({attempt}), {secondsLeft:0.0} s left");
            rejoin.OnResumed.AddListener(seat => Status.text = $"Back in seat {seat}");
            rejoin.OnSeatLost.AddListener(reason => Status.text = $"Seat lost: {reason}");
            rejoin.OnEnded.AddListener(reason => Status.text = $"Match over: {reason}");
            var game = new ArenaSeat();
            var snapshot = await game.PlayAsync(rejoinClient, Mode);
            Status.text = $"Seat {snapshot.Seat}";
        }
    }
}
