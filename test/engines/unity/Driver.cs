// Drives the Unity package's RejoinClient (engines/unity/Runtime) on Mono against a real Nakama
// with the module. Alice's match socket (and, in the purchase, her RPC) runs through the runner's
// fault proxy; Bob and every check go direct. The runner (test/engines/run.ts) is asked over HTTP
// to cut, black-hole, partition, heal or restart. One line per scenario: "PASS name" or
// "FAIL name: why".
using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Nakama;
using NakamaRejoin;
using NakamaRejoin.Samples;

static class Driver
{
    static string Host = Environment.GetEnvironmentVariable("NAKAMA_HOST") ?? "127.0.0.1";
    static int Port = int.Parse(Environment.GetEnvironmentVariable("NAKAMA_PORT") ?? "7350");
    static int ProxyPort = int.Parse(Environment.GetEnvironmentVariable("PROXY_PORT") ?? "0");
    static string ControlUrl = Environment.GetEnvironmentVariable("CONTROL_URL");
    static readonly HttpClient Http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
    static readonly List<Func<Task>> Cleanups = new List<Func<Task>>();

    static int Main(string[] args)
    {
        var only = Environment.GetEnvironmentVariable("SCENARIOS");
        var scenarios = new (string, Func<Task>)[]
        {
            ("first join: the quick start finds a match, gets its SNAPSHOT and acts", FirstJoin),
            ("cut: reconnects, refreshes the expired login, same seat, score and position, every action once", Cut),
            ("black hole: the heartbeat notices, re-authenticates, takes the seat over, every action once", BlackHole),
            ("grace window over: reports the seat lost, and the server agrees", GraceOver),
            ("server restart mid-grace: session_resume finds the restored match, actions carried over", Restart),
            ("idempotent purchase: the answer is lost, the retry is charged once", Purchase),
            ("idempotent purchase through RejoinClient: its expired login is refreshed first, charged once", PurchaseThroughLogin),
            ("elsewhere: back through a second node, the resolver leads to the match's node, same seat and score", Elsewhere),
            ("rpc prefix: the client calls the module's RPCs under the game's names", RpcPrefix),
        };
        var ctx = new SerialContext();
        int passed = 0, failed = 0;
        foreach (var scenario in scenarios)
        {
            var name = scenario.Item1;
            var run = scenario.Item2;
            if (!string.IsNullOrEmpty(only) && !name.StartsWith(only)) continue;
            string error = null;
            try
            {
                var t = ctx.Run(run);
                if (!t.Wait(TimeSpan.FromSeconds(90))) error = "timed out after 90 s";
                else if (t.IsFaulted) error = t.Exception.InnerException.Message;
            }
            catch (AggregateException e)
            {
                error = e.InnerException.Message;
            }
            try { ctx.Run(CleanupAsync).Wait(TimeSpan.FromSeconds(20)); } catch (Exception) { }
            try { Control("heal").Wait(); } catch (Exception) { }
            if (error == null) { passed++; Console.WriteLine("PASS " + name); }
            else { failed++; Console.WriteLine("FAIL " + name + ": " + Redact.Text(error)); }
        }
        return failed == 0 ? 0 : 1;
    }

    static async Task CleanupAsync()
    {
        foreach (var c in Enumerable.Reverse(Cleanups.ToList())) { try { await c(); } catch (Exception) { } }
        Cleanups.Clear();
    }

    // ---- plumbing -----------------------------------------------------------------------------

    static async Task<string> Control(string command)
    {
        var r = await Http.PostAsync(ControlUrl + "/" + command, new StringContent(""));
        if (!r.IsSuccessStatusCode) throw new Exception("control " + command + ": HTTP " + (int)r.StatusCode);
        return await r.Content.ReadAsStringAsync();
    }

    static void Check(bool ok, string what)
    {
        if (!ok) throw new Exception(what);
    }

    static async Task Eventually(Func<bool> cond, string what, int ms = 10000)
    {
        var until = DateTime.UtcNow.AddMilliseconds(ms);
        while (!cond())
        {
            if (DateTime.UtcNow > until) throw new Exception("timed out waiting for " + what);
            await Task.Delay(20);
        }
    }

    static async Task EventuallyAsync(Func<Task<bool>> cond, string what, int ms = 10000)
    {
        var until = DateTime.UtcNow.AddMilliseconds(ms);
        while (!await cond())
        {
            if (DateTime.UtcNow > until) throw new Exception("timed out waiting for " + what);
            await Task.Delay(25);
        }
    }

    static Client NewClient(int port) => new Client("http", Host, port, "defaultkey") { Timeout = 10 };

    /// <summary>A fresh player; with a proxy, its sockets go through the fault proxy.</summary>
    static async Task<Player> NewPlayer(string name, bool viaProxy)
    {
        var client = NewClient(Port);
        var customId = "unity-" + name + "-" + Guid.NewGuid().ToString("N");
        var session = await client.AuthenticateCustomAsync(customId);
        var socketClient = viaProxy ? NewClient(ProxyPort) : client;
        return new Player { Client = client, Session = session, CustomId = customId, NewSocket = () => Socket.From(socketClient, new WebSocketStdlibAdapter()) };
    }

    class Player
    {
        public Client Client;
        public ISession Session;
        public string CustomId;
        public Func<ISocket> NewSocket;
    }

    /// <summary>Everything one RejoinClient told the app.</summary>
    class Seen
    {
        public readonly List<ReconnectingInfo> Reconnecting = new List<ReconnectingInfo>();
        public readonly List<ResumedInfo> Resumed = new List<ResumedInfo>();
        public readonly List<SeatLostInfo> SeatLost = new List<SeatLostInfo>();
        public readonly List<EndedInfo> Ended = new List<EndedInfo>();
        public readonly List<Snapshot> Snapshots = new List<Snapshot>();
        public readonly List<Dictionary<string, object>> Events = new List<Dictionary<string, object>>();
        public readonly List<Dictionary<string, object>> Seats = new List<Dictionary<string, object>>();
        public readonly List<Dictionary<string, object>> Acks = new List<Dictionary<string, object>>();

        public Seen(RejoinClient rc)
        {
            rc.Reconnecting += Reconnecting.Add;
            rc.Resumed += Resumed.Add;
            rc.SeatLost += SeatLost.Add;
            rc.Ended += Ended.Add;
            rc.SnapshotReceived += Snapshots.Add;
            rc.GameEvent += Events.Add;
            rc.SeatChanged += Seats.Add;
            rc.Ack += Acks.Add;
        }

        /// <summary>Amounts of the `scored` events of one seat, in order.</summary>
        public List<long> Scored(int seat) => Events
            .Where(e => Json.Str(e, "type") == "scored" && Json.Long(e, "seat") == seat)
            .Select(e => Json.Long(e, "amount") ?? -1).ToList();
    }

    class Seated
    {
        public Player Player;
        public RejoinClient Rc;
        public Seen Seen;
        public ManualClock Clock;
        public List<string> Logs;
    }

    class ManualClock
    {
        public long OffsetMs;
        public long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + OffsetMs;
    }

    static Seated Seat(Player p, RejoinOptions o = null)
    {
        var clock = new ManualClock();
        o = o ?? new RejoinOptions();
        o.NowMs = clock.Now;
        o.HeartbeatMs = 1000;
        o.Backoff = new BackoffOptions { BaseMs = 100, MaxMs = 1000 };
        var logs = new List<string>();
        o.Log = line => { logs.Add(line); Console.WriteLine("  log: " + line); };
        var rc = new RejoinClient(p.Client, p.Session, p.NewSocket, o);
        Cleanups.Add(async () => { if (rc.State == RejoinState.Live) await rc.QuitAsync(); else rc.Close(); });
        return new Seated { Player = p, Rc = rc, Seen = new Seen(rc), Clock = clock, Logs = logs };
    }

    /// <summary>Alice (through the proxy) and Bob (direct) seated in a new match of `mode`.</summary>
    static async Task<(Seated alice, Seated bob)> Table(string mode = "e2e", RejoinOptions aliceOptions = null)
    {
        var alice = Seat(await NewPlayer("alice", true), aliceOptions);
        var bob = Seat(await NewPlayer("bob", false));
        var created = await alice.Player.Client.RpcAsync(alice.Player.Session, Rpc.MatchCreate, Json.Write(new Dictionary<string, object> { ["mode"] = mode }));
        var matchId = Json.Str(Json.ParseObject(created.Payload), "matchId");
        var a = await alice.Rc.JoinMatchAsync(matchId);
        var b = await bob.Rc.JoinMatchAsync(matchId);
        Check(a.Seat != b.Seat, "two players got one seat");
        return (alice, bob);
    }

    static Dictionary<string, object> Add(int amount) => new Dictionary<string, object> { ["type"] = "add", ["amount"] = amount };

    static Dictionary<string, object> GameSeat(Snapshot s, int seat) => (Dictionary<string, object>)Json.Arr(s.Game, "seats")[seat];

    static long Score(Snapshot s, int seat) => Json.Long(GameSeat(s, seat), "score") ?? -1;

    /// <summary>A fresh SNAPSHOT over the current connection.</summary>
    static async Task<Snapshot> Resync(Seated p)
    {
        var before = p.Seen.Snapshots.Count;
        p.Rc.Resync();
        await Eventually(() => p.Seen.Snapshots.Count > before, "a SNAPSHOT after RESYNC");
        return p.Seen.Snapshots.Last();
    }

    static int Applied(Seated p, long actionSeq) =>
        p.Seen.Acks.Count(a => Json.Long(a, "actionSeq") == actionSeq && Json.Str(a, "result") == "applied");

    /// <summary>Every action of Alice's applied exactly once: by her ACKs, her score and what Bob saw.</summary>
    static async Task CheckExactlyOnce(Seated alice, Seated bob, List<int> amounts, int moves = 0)
    {
        await Eventually(() => alice.Rc.Unacknowledged.Count == 0, "every action acknowledged");
        var seat = alice.Rc.Seat.Value;
        var snap = await Resync(alice);
        Check(snap.LastActionSeq == amounts.Count + moves, $"lastActionSeq {snap.LastActionSeq}, sent {amounts.Count + moves}");
        Check(Score(snap, seat) == amounts.Sum(), $"score {Score(snap, seat)}, expected {amounts.Sum()}");
        for (var i = 1; i <= amounts.Count + moves; i++) Check(Applied(alice, i) <= 1, $"action {i} applied {Applied(alice, i)} times");
        await Eventually(() => bob.Seen.Scored(seat).Count >= amounts.Count, "Bob seeing every scored event");
        await Task.Delay(300);
        var seen = string.Join(",", bob.Seen.Scored(seat));
        Check(seen == string.Join(",", amounts), $"Bob saw scores [{seen}], sent [{string.Join(",", amounts)}]");
    }

    // ---- scenarios -----------------------------------------------------------------------------

    static async Task FirstJoin()
    {
        var alice = await NewPlayer("alice", true);
        var game = new ArenaSeat();
        IClient client = alice.Client;
        var session = alice.Session;
        var newSocket = alice.NewSocket;
        // docs:begin create
        var rejoin = new RejoinClient(client, session, newSocket, new RejoinOptions { Store = new MemoryTokenStore() });
        // docs:end
        var snap = await game.PlayAsync(rejoin, "e2e");
        Cleanups.Add(() => game.Rejoin.QuitAsync());
        Check(!snap.Resumed && snap.Seat == 0 && snap.LastActionSeq == 0, "first SNAPSHOT: " + snap);
        Check(game.Rejoin.State == RejoinState.Live, "state " + game.Rejoin.State);
        var bob = Seat(await NewPlayer("bob", false));
        var b = await bob.Rc.JoinMatchAsync(game.Rejoin.MatchId);
        Check(b.Seat == 1, "Bob's seat " + b.Seat);
        await Eventually(() => game.Rejoin.Unacknowledged.Count == 0, "the action's ACK");
        game.Rejoin.Resync();
        await Eventually(() => Score(game.Rejoin.LastSnapshot, 0) == 3, "a SNAPSHOT with the score of 3");
        Check(game.Messages.Count == 0, "unexpected messages: " + string.Join("; ", game.Messages));
    }

    static async Task Cut()
    {
        var (alice, bob) = await Table();
        var amounts = new List<int> { 1, 2, 3 };
        foreach (var a in amounts) alice.Rc.SendAction(Add(a));
        alice.Rc.SendAction(new Dictionary<string, object> { ["type"] = "move", ["dx"] = 1, ["dy"] = 1 });
        await Eventually(() => alice.Rc.Unacknowledged.Count == 0, "acks before the cut");
        var seat = alice.Rc.Seat.Value;
        var before = await Resync(alice);
        var x = Json.Long(GameSeat(before, seat), "x");
        var y = Json.Long(GameSeat(before, seat), "y");
        // The login expires while the link is down: the rejoin must refresh it first.
        alice.Clock.OffsetMs = 2 * 3600 * 1000;
        await Control("cut");
        await Eventually(() => alice.Seen.Reconnecting.Count > 0, "a reconnecting event");
        var r = alice.Seen.Reconnecting[0];
        Check(r.Attempt == 1 && r.MsLeft > 0 && r.MsLeft <= 3000 && r.Reason == "closed", $"reconnecting: attempt {r.Attempt}, {r.MsLeft} ms left, {r.Reason}");
        // Sent while disconnected: queued, sent after the SNAPSHOT.
        alice.Rc.SendAction(Add(4));
        alice.Rc.SendAction(Add(5));
        amounts.AddRange(new[] { 4, 5 });
        await Eventually(() => alice.Seen.Resumed.Count == 1, "resumed");
        var back = alice.Seen.Resumed[0].Snapshot;
        Check(back.Resumed && back.Seat == seat && back.LastActionSeq == 4, "rejoin SNAPSHOT: " + back);
        Check(Score(back, seat) == 6 && Json.Long(GameSeat(back, seat), "x") == x && Json.Long(GameSeat(back, seat), "y") == y, "score or position changed");
        // The SDK renews a session in place (and a refresh within the same second gives back the
        // same token): the client's log says when it renewed it.
        var refreshed = alice.Logs.FindIndex(l => l.StartsWith("session refreshed"));
        var rejoined = alice.Logs.FindIndex(l => l.StartsWith("resumed seat"));
        Check(refreshed >= 0 && refreshed < rejoined, "the expired login was not refreshed before the rejoin");
        await CheckExactlyOnce(alice, bob, amounts, 1);
    }

    static async Task BlackHole()
    {
        var reauthenticated = 0;
        Player alicePlayer = null;
        var options = new RejoinOptions
        {
            Reauthenticate = async () =>
            {
                reauthenticated++;
                return await alicePlayer.Client.AuthenticateCustomAsync(alicePlayer.CustomId, null, false);
            },
        };
        alicePlayer = await NewPlayer("alice", true);
        var aliceId = alicePlayer.Session.UserId;
        var alice = Seat(alicePlayer, options);
        var bob = Seat(await NewPlayer("bob", false));
        var created = await alicePlayer.Client.RpcAsync(alicePlayer.Session, Rpc.MatchCreate, "{\"mode\":\"e2e\"}");
        var matchId = Json.Str(Json.ParseObject(created.Payload), "matchId");
        await alice.Rc.JoinMatchAsync(matchId);
        await bob.Rc.JoinMatchAsync(matchId);
        var amounts = new List<int> { 2, 7 };
        foreach (var a in amounts) alice.Rc.SendAction(Add(a));
        await Eventually(() => alice.Rc.Unacknowledged.Count == 0, "acks before the black hole");
        // Past the refresh token's life too: only signing in again can renew the login.
        alice.Clock.OffsetMs = 8L * 24 * 3600 * 1000;
        await Control("blackhole");
        // Lost in the black hole: written to the dead socket, never seen by the server.
        alice.Rc.SendAction(Add(9));
        amounts.Add(9);
        await Eventually(() => alice.Seen.Reconnecting.Count > 0, "a reconnecting event", 8000);
        Check(alice.Seen.Reconnecting[0].Reason == "heartbeat_timeout", "noticed by " + alice.Seen.Reconnecting[0].Reason);
        await Eventually(() => alice.Seen.Resumed.Count == 1, "resumed");
        Check(reauthenticated >= 1, "the reauthenticate callback was not called");
        Check(alice.Rc.Session.UserId == aliceId, "signed in as someone else");
        await CheckExactlyOnce(alice, bob, amounts);
    }

    static async Task GraceOver()
    {
        var (alice, bob) = await Table();
        alice.Rc.SendAction(Add(1));
        await Eventually(() => alice.Rc.Unacknowledged.Count == 0, "the ack");
        var seat = alice.Rc.Seat.Value;
        var matchId = alice.Rc.MatchId;
        // Unreachable for longer than the 3 s grace window.
        await Control("partition");
        await Eventually(() => alice.Seen.SeatLost.Count == 1, "seat lost", 15000);
        var lost = alice.Seen.SeatLost[0];
        Check(lost.Reason == "grace_expired" || lost.Reason == "token_expired", "seat lost for " + lost.Reason);
        Check(alice.Rc.State == RejoinState.Closed, "still " + alice.Rc.State);
        await Control("heal");
        await Eventually(() => bob.Seen.Seats.Any(s => Json.Str(s, "reason") == "expired" && Json.Long(s, "seat") == seat), "Bob seeing the seat expire", 8000);
        var again = Seat(alice.Player);
        var outcome = await again.Rc.ResumeAsync();
        Check(outcome.Status == "none", "session_resume after expiry: " + outcome.Status);
        Check(alice.Seen.Resumed.Count == 0, "resumed after the grace window");
    }

    static async Task Restart()
    {
        var (alice, bob) = await Table("casual");
        var amounts = new List<int> { 4 };
        alice.Rc.SendAction(Add(4));
        await Eventually(() => Applied(alice, 1) == 1, "the first action applied");
        var matchId = alice.Rc.MatchId;
        var restarting = Control("restart");
        await Eventually(() => alice.Rc.State == RejoinState.Reconnecting, "reconnecting", 15000);
        // Sent while the server is down: applied once, in the restored match.
        alice.Rc.SendAction(Add(6));
        amounts.Add(6);
        await restarting;
        await Eventually(() => alice.Seen.Resumed.Count == 1, "resumed after the restart", 30000);
        Check(alice.Rc.MatchId != matchId, "the restored match has the old id");
        Check(alice.Seen.Resumed[0].Snapshot.LastActionSeq == 1, "restored lastActionSeq " + alice.Seen.Resumed[0].Snapshot.LastActionSeq);
        await Eventually(() => bob.Seen.Resumed.Count == 1, "Bob resumed after the restart", 30000);
        Check(bob.Rc.MatchId == alice.Rc.MatchId, "Bob and Alice in different copies");
        await Eventually(() => Applied(alice, 2) == 1, "the action sent while down, applied");
        var snap = await Resync(alice);
        Check(Score(snap, alice.Rc.Seat.Value) == 10, "score after the restart " + Score(snap, alice.Rc.Seat.Value));
        Check(Applied(alice, 1) == 1, "the first action applied again");
    }

    static async Task Purchase()
    {
        var p = await NewPlayer("shopper", false);
        var viaProxy = NewClient(ProxyPort);
        var before = await Coins(p);
        Check(before == 1000, "starting coins " + before);
        // The answer crawls back through the slowed proxy; the link dies once the server has
        // applied the purchase, before the answer arrives.
        await Control("latency?ms=400");
        var buying = ArenaSeat.BuyAsync(viaProxy, p.Session, "shield", 2);
        await EventuallyAsync(async () => await Coins(p) == 900, "the purchase applied on the server");
        await Control("cut");
        await Control("latency?ms=0");
        var receipt = await buying;
        Check(Json.Bool(receipt, "replayed"), "the answer was not a replay: the first answer was not lost");
        Check(Json.Long(receipt, "balance") == 900 && Json.Long(receipt, "owned") == 2 && Json.Long(receipt, "cost") == 100, "receipt " + Json.Write(receipt));
        Check(await Coins(p) == 900, "charged twice");
    }

    static async Task PurchaseThroughLogin()
    {
        var p = await NewPlayer("shopper", false);
        var shopper = Seat(p);
        // The login has expired by the client's clock: the call must renew it first.
        shopper.Clock.OffsetMs = 2 * 3600 * 1000;
        var receipt = await shopper.Rc.CallIdempotentAsync(Rpc.ShopPurchase, new Dictionary<string, object> { ["itemId"] = "shield", ["quantity"] = 1 });
        Check(!Json.Bool(receipt, "replayed") && Json.Long(receipt, "balance") == 950 && Json.Long(receipt, "owned") == 1, "receipt " + Json.Write(receipt));
        Check(shopper.Logs.FindIndex(l => l.StartsWith("session refreshed")) >= 0, "the expired login was not refreshed before the purchase");
        Check(await Coins(p) == 950, "coins after one purchase " + await Coins(p));
    }

    /// <summary>
    /// A game that registers the module's RPCs under its own names: here the shop's, "shop_" +
    /// "purchase", so the prefixed call reaches shop_purchase and nothing else would.
    /// </summary>
    static async Task RpcPrefix()
    {
        var p = await NewPlayer("prefixed", false);
        var shopper = Seat(p, new RejoinOptions { RpcPrefix = "shop_" });
        var receipt = await shopper.Rc.CallIdempotentAsync("purchase", new Dictionary<string, object> { ["itemId"] = "shield", ["quantity"] = 1 });
        Check(!Json.Bool(receipt, "replayed") && Json.Long(receipt, "owned") == 1, "receipt " + Json.Write(receipt));
        Check(await Coins(p) == 950, "coins after one purchase " + await Coins(p));
        try
        {
            await shopper.Rc.CallIdempotentAsync(Rpc.ShopPurchase, new Dictionary<string, object> { ["itemId"] = "shield", ["quantity"] = 1 });
            throw new Exception("shop_shop_purchase should not exist");
        }
        catch (RpcRefusedException e)
        {
            Check(e.StatusCode == 404, "the unknown prefixed RPC answered " + e.StatusCode);
        }
    }

    /// <summary>
    /// Two open-source nodes on one database: the match runs on the first (reached through the
    /// fault proxy), Alice comes back through the second, which answers `elsewhere`.
    /// </summary>
    static async Task Elsewhere()
    {
        var nodes = Json.ParseObject(await Control("second-node"));
        var nodeA = Json.Str(nodes, "first");
        var nodeB = Json.Str(nodes, "name");
        var portB = (int)(Json.Long(nodes, "port") ?? 0);
        var store = new MemoryTokenStore();
        var (alice, bob) = await Table("casual", new RejoinOptions { Store = store });
        alice.Rc.SendAction(Add(5));
        await Eventually(() => Applied(alice, 1) == 1, "the first action applied");
        var seat = alice.Rc.Seat.Value;
        var matchId = alice.Rc.MatchId;
        // The app closes without leaving; it comes back through node B with the same login and store.
        alice.Rc.Close();
        var clientB = NewClient(portB);
        var viaB = new Player { Client = clientB, Session = alice.Player.Session, CustomId = alice.Player.CustomId, NewSocket = () => Socket.From(clientB, new WebSocketStdlibAdapter()) };

        // Without a resolver: told where the match runs, as before.
        var plain = Seat(viaB, new RejoinOptions { Store = store });
        var told = await plain.Rc.ResumeAsync();
        Check(told.Status == "elsewhere" && told.Node == nodeA && told.MatchId == matchId, $"without a resolver: {told.Status} on {told.Node}");
        Check(plain.Rc.State == RejoinState.Idle && plain.Rc.Node == null, "without a resolver: state " + plain.Rc.State);

        // With one: session_resume on node A, the seat taken back there, score intact.
        // The game's table of its nodes; node A is reached through the fault proxy.
        var nodeAddresses = new Dictionary<string, NodeAddress>
        {
            [nodeA] = new NodeAddress("http", Host, ProxyPort),
            [nodeB] = new NodeAddress("http", Host, portB),
        };
        // docs:begin resolver
        var options = new RejoinOptions
        {
            Store = store,
            NodeResolver = node => nodeAddresses.TryGetValue(node, out var address) ? address : null,
        };
        // docs:end
        options.NodeSocket = c => Socket.From(c, new WebSocketStdlibAdapter());
        var back = Seat(viaB, options);
        var outcome = await back.Rc.ResumeAsync();
        Check(outcome.Status == "active", "with a resolver: " + outcome.Status);
        Check(back.Rc.MatchId == matchId && back.Rc.Node == nodeA && back.Rc.Seat == seat, $"seated in {back.Rc.MatchId} on {back.Rc.Node}, seat {back.Rc.Seat}");
        Check(outcome.Snapshot.Resumed && outcome.Snapshot.LastActionSeq == 1 && Score(outcome.Snapshot, seat) == 5, "SNAPSHOT on node A: " + outcome.Snapshot);

        // Node A's link dies and refuses the first attempt: the next goes through node B, which
        // does not run the match, and follows its `elsewhere` to node A again.
        back.Rc.Reconnecting += r => { if (r.Attempt == 2) Observe(Control("heal")); };
        await Control("partition");
        await Eventually(() => back.Seen.Resumed.Count == 2, "resumed on node A after the drop", 20000);
        Check(back.Seen.SeatLost.Count == 0, "seat lost: " + (back.Seen.SeatLost.Count > 0 ? back.Seen.SeatLost[0].Reason : ""));
        Check(back.Rc.Node == nodeA && back.Rc.MatchId == matchId, $"after the drop in {back.Rc.MatchId} on {back.Rc.Node}");
        Check(back.Logs.Any(l => l.StartsWith("rejoin attempt failed") && l.Contains("match_not_found")), "no attempt went through node B");
        Check(back.Logs.Count(l => l.StartsWith("following the match to its node")) >= 2, "the reconnect did not follow elsewhere");
        Check(Score(back.Seen.Resumed[1].Snapshot, seat) == 5, "score after the drop " + Score(back.Seen.Resumed[1].Snapshot, seat));
        back.Rc.SendAction(Add(2));
        await CheckExactlyOnce(back, bob, new List<int> { 5, 2 });
    }

    static void Observe(Task t) => t.ContinueWith(x => { var _ = x.Exception; }, TaskContinuationOptions.OnlyOnFaulted);

    static async Task<long> Coins(Player p)
    {
        var account = await p.Client.GetAccountAsync(p.Session);
        return Json.Long(Json.ParseObject(account.Wallet), "coins") ?? -1;
    }
}
