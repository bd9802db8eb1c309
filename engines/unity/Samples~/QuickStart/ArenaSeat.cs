// The quick start's game-side code: join a match, bind the events a UI shows, act, buy. Plain C#,
// so it runs outside Unity too; QuickStart.cs beside it wires it to a scene.
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Nakama;
using NakamaRejoin;

namespace NakamaRejoin.Samples
{
    public sealed class ArenaSeat
    {
        /// <summary>What the UI would show, newest last.</summary>
        public readonly List<string> Messages = new List<string>();
        public RejoinClient Rejoin;

        void Show(string message) => Messages.Add(message);

        // docs:begin usage
        public async Task<Snapshot> PlayAsync(RejoinClient rejoin, string mode)
        {
            Rejoin = rejoin;
            rejoin.Reconnecting += e => Show($"Reconnecting: attempt {e.Attempt}, {e.MsLeft / 1000.0:0.0} s left");
            rejoin.Resumed += e => Show($"Back in seat {e.Seat}");
            rejoin.SeatLost += e => Show($"Seat lost: {e.Reason}");
            rejoin.Ended += e => Show($"Match over: {e.Reason}");
            var snapshot = await rejoin.FindMatchAsync(mode);
            rejoin.SendAction(new Dictionary<string, object> { ["type"] = "add", ["amount"] = 3 });
            return snapshot;
        }
        // docs:end

        // docs:begin purchase
        public static Task<Dictionary<string, object>> BuyAsync(IClient client, ISession session, string itemId, int quantity) =>
            IdempotentRpc.CallAsync(client, session, "shop_purchase",
                new Dictionary<string, object> { ["itemId"] = itemId, ["quantity"] = quantity });
        // docs:end
    }
}
