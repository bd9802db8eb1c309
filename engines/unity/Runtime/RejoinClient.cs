// A match connection that comes back by itself. On a closed or silent socket it reconnects on a
// new one with jittered backoff inside the seat's grace window, refreshes the login first when it
// has expired (or asks the app to sign in again), rejoins with its latest token (or asks
// session_resume for a fresh one), applies the SNAPSHOT, resends exactly the actions the server
// did not process and asks for RESYNC on a gap in `seq`.
//
// This class keeps the state machine and the reconnect policy; a MatchTransport is one connection
// (socket, heartbeat, join, typed messages), Login keeps the player signed in.
//
// Everything it does runs on one SynchronizationContext: the one it was created on (Unity's main
// thread), or a SerialContext of its own. Events are raised there.
//
// Never logs a token: log lines carry match, user and seat ids, attempts and reasons only.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Nakama;

namespace NakamaRejoin
{
    public enum RejoinState { Idle, Joining, Live, Reconnecting, Closed }

    public sealed class RejoinOptions
    {
        /// <summary>Called when the login cannot be refreshed (the refresh token expired too): sign in again.</summary>
        public Func<Task<ISession>> Reauthenticate;
        /// <summary>Where the latest token and the next actionSeq are kept (default: memory).</summary>
        public ITokenStore Store;
        public BackoffOptions Backoff = new BackoffOptions();
        /// <summary>A connection that does not answer a ping within this long is dead (default 5000).</summary>
        public int HeartbeatMs = 5000;
        /// <summary>How long one socket connect may take, seconds (default 5).</summary>
        public int ConnectTimeoutSec = 5;
        /// <summary>How long a join may take, up to its SNAPSHOT (default 10000).</summary>
        public int JoinTimeoutMs = 10000;
        /// <summary>For a manual grace window (no deadline): stop retrying after this long (default 300000).</summary>
        public long ManualGiveUpMs = 300000;
        /// <summary>Refresh the login when it expires within this many seconds (default 30).</summary>
        public int RefreshMarginSec = 30;
        /// <summary>
        /// Prefix of every RPC id the client calls (match_find, session_resume, CallIdempotentAsync's),
        /// for a game that registers the module's RPCs under its own names (default none).
        /// </summary>
        public string RpcPrefix = "";
        /// <summary>Show the player as online to friends (default false).</summary>
        public bool AppearOnline;
        /// <summary>
        /// Several open-source nodes on one database: the address of a node by its name. Told
        /// `elsewhere`, the client asks session_resume on that node and rejoins the match there, on a
        /// socket to that node, with the same login. Without it (or when it returns null) the client
        /// retries where it is until the match's node answers or its lease runs out.
        /// </summary>
        public Func<string, NodeAddress> NodeResolver;
        /// <summary>Makes the client for a resolved node (default: a Client with the first client's server key and timeout).</summary>
        public Func<NodeAddress, IClient> NodeClient;
        /// <summary>Makes a new, unconnected socket for a node's client (default: Socket.From(client)).</summary>
        public Func<IClient, ISocket> NodeSocket;
        public Func<double> Random;
        /// <summary>Milliseconds since the Unix epoch (default: the system clock).</summary>
        public Func<long> NowMs;
        /// <summary>Log lines carry ids and reasons, never tokens.</summary>
        public Action<string> Log;
    }

    public sealed class ConnectedInfo { public string MatchId; public int Seat; public bool Resumed; }
    public sealed class ReconnectingInfo { public string MatchId; public int Attempt; public long MsLeft; public string Reason; }
    public sealed class ResumedInfo { public string MatchId; public int Seat; public Snapshot Snapshot; }
    public sealed class SeatLostInfo { public string MatchId; public string Reason; }
    public sealed class EndedInfo { public string MatchId; public string Reason; public object Result; }

    /// <summary>What session_resume found: Status is active, none, ended or elsewhere.</summary>
    public sealed class ResumeOutcome
    {
        public string Status;
        public Snapshot Snapshot;
        public string MatchId;
        public string Reason;
        public object Result;
        public string Node;
    }

    /// <summary>A join the server refused: Reason is its rejectMessage (token_invalid, match_full, …).</summary>
    public sealed class JoinRefusedException : Exception
    {
        public readonly string Reason;
        public JoinRefusedException(string reason) : base(reason) { Reason = reason; }
    }

    /// <summary>The login cannot be renewed and no Reauthenticate callback was given.</summary>
    public sealed class SessionExpiredException : Exception
    {
        public SessionExpiredException() : base("session_expired") { }
    }

    public sealed class RejoinClient
    {
        /// <summary>Refusals after which retrying cannot help.</summary>
        static readonly HashSet<string> Final = new HashSet<string> { RejectReason.TokenExpired, RejectReason.NotInvited, RejectReason.MatchFull, RejectReason.MetadataInvalid };
        /// <summary>Refusals that session_resume can fix (a fresh token, a restored match, or how the match ended).</summary>
        static readonly HashSet<string> AskResume = new HashSet<string> { RejectReason.TokenInvalid, RejectReason.SeatLost, RejectReason.MatchNotFound };

        /// <summary>In the match with a SNAPSHOT on a (new) connection.</summary>
        public event Action<ConnectedInfo> Connected;
        /// <summary>The connection is gone; attempt Attempt starts shortly. MsLeft: until the client gives up.</summary>
        public event Action<ReconnectingInfo> Reconnecting;
        /// <summary>Back in a seat the player already held (after a drop, an app or a server restart).</summary>
        public event Action<ResumedInfo> Resumed;
        /// <summary>The seat is gone for good; the client has stopped.</summary>
        public event Action<SeatLostInfo> SeatLost;
        /// <summary>The match ended (END, or session_resume said so); the client has stopped.</summary>
        public event Action<EndedInfo> Ended;
        public event Action<Snapshot> SnapshotReceived;
        public event Action<Dictionary<string, object>> SeatChanged;
        public event Action<Dictionary<string, object>> GameEvent;
        public event Action<Dictionary<string, object>> Ack;
        public event Action<Dictionary<string, object>> Error;

        /// <summary>The player's current login (refreshed or renewed as needed).</summary>
        public ISession Session => _login.Session;
        public string MatchId { get; private set; }
        public int? Seat { get; private set; }
        public Snapshot LastSnapshot { get; private set; }
        public RejoinState State { get; private set; } = RejoinState.Idle;
        /// <summary>The server node the client followed an `elsewhere` answer to; null: it talks to the client it was given.</summary>
        public string Node => _route?.Node;
        /// <summary>actionSeqs sent but not yet acknowledged, in order.</summary>
        public List<long> Unacknowledged => _pending.Waiting;

        readonly IClient _client;
        readonly Func<ISocket> _newSocket;
        readonly RejoinOptions _o;
        readonly ITokenStore _store;
        readonly SynchronizationContext _ctx;
        readonly Func<long> _now;
        readonly Func<double> _random;
        PendingActions _pending = new PendingActions();
        SequenceTracker _seq = new SequenceTracker();
        readonly Login _login;
        /// <summary>The connection of the match; null between connections.</summary>
        MatchTransport _conn;
        Waiter _waiter;
        /// <summary>The match handed over to another copy: the next attempt asks session_resume where it went.</summary>
        bool _resumeFirst;
        /// <summary>The node the match runs on, once an `elsewhere` answer was followed; null: the first client.</summary>
        NodeRoute _route;
        CancellationTokenSource _wake;
        /// <summary>Bumped by Close() and every new join: work started before it is stale and stops.</summary>
        int _generation;

        sealed class Waiter
        {
            public MatchTransport Conn;
            public TaskCompletionSource<Snapshot> Done;
        }

        /// <param name="client">For RPCs and session refresh.</param>
        /// <param name="session">The signed-in player.</param>
        /// <param name="newSocket">Makes a new, unconnected socket: in Unity <c>() => client.NewSocket(true)</c>.</param>
        public RejoinClient(IClient client, ISession session, Func<ISocket> newSocket, RejoinOptions options = null)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            if (session == null) throw new ArgumentNullException(nameof(session));
            _newSocket = newSocket ?? throw new ArgumentNullException(nameof(newSocket));
            _o = options ?? new RejoinOptions();
            _store = _o.Store ?? new MemoryTokenStore();
            _now = _o.NowMs ?? (() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            _login = new Login(_client, session, _o, _now, Log);
            _random = _o.Random ?? SharedRandom.Next;
            _ctx = SynchronizationContext.Current ?? new SerialContext();
        }

        // ---- joining ----------------------------------------------------------------------------

        /// <summary>
        /// Joins a match and returns its SNAPSHOT. With a ticket for this match in the store it is a
        /// rejoin with the stored token; a refused token falls back to session_resume.
        /// </summary>
        public async Task<Snapshot> JoinMatchAsync(string matchId)
        {
            Begin(matchId);
            var token = _store.Get(matchId)?.Token;
            try
            {
                return await EnterAsync(matchId, token);
            }
            catch (Exception e)
            {
                if (ReasonOf(e) == RejectReason.TokenInvalid)
                {
                    ResumeOutcome outcome = null;
                    try { outcome = await ResumeAndEnterAsync(); } catch (Exception) { }
                    if (outcome?.Status == ResumeStatus.Active) return outcome.Snapshot;
                }
                Abandon();
                throw;
            }
        }

        /// <summary>A match of <paramref name="mode"/> with a free seat (RPC match_find), joined.</summary>
        public async Task<Snapshot> FindMatchAsync(string mode)
        {
            AssertIdle();
            var r = await _login.RpcAsync(Rpc.MatchFind, new Dictionary<string, object> { ["mode"] = mode });
            return await JoinMatchAsync(Json.Str(r, "matchId"));
        }

        /// <summary>Joins the match of a matchmaker-matched event (the server's hook creates an arena match).</summary>
        public Task<Snapshot> JoinMatchedAsync(IMatchmakerMatched matched)
        {
            if (string.IsNullOrEmpty(matched?.MatchId)) throw new ArgumentException("the matchmaker gave no match id: the server did not create an authoritative match for this ticket");
            return JoinMatchAsync(matched.MatchId);
        }

        /// <summary>
        /// Asks session_resume where the player stands (at start-up, or whenever the app does not
        /// know) and takes back the seat it holds, if any.
        /// </summary>
        public async Task<ResumeOutcome> ResumeAsync()
        {
            AssertIdle();
            _route = null;
            _generation++;
            State = RejoinState.Joining;
            MatchId = null;
            try
            {
                var outcome = await ResumeAndEnterAsync();
                if (outcome.Status != ResumeStatus.Active) State = RejoinState.Idle;
                return outcome;
            }
            catch (Exception)
            {
                Abandon();
                throw;
            }
        }

        // ---- playing ----------------------------------------------------------------------------

        /// <summary>
        /// Sends an action and returns its actionSeq. It is kept until ACKed and, after a reconnect,
        /// resent if the SNAPSHOT shows it was not processed; so it is applied at most once.
        /// </summary>
        public long SendAction(IDictionary<string, object> body)
        {
            if (MatchId == null || State == RejoinState.Idle || State == RejoinState.Closed) throw new InvalidOperationException("not in a match");
            var a = _pending.Add(body);
            SaveTicket();
            if (State == RejoinState.Live) SendRaw(OpCode.Action, a.Message());
            return a.ActionSeq;
        }

        /// <summary>Asks for a fresh SNAPSHOT (the client also does this by itself on a sequence gap).</summary>
        public void Resync()
        {
            if (State == RejoinState.Live) SendRaw(OpCode.Resync, new Dictionary<string, object>());
        }

        /// <summary>
        /// A mutating RPC exactly once (see IdempotentRpc.CallAsync: one idempotencyKey for every
        /// retry), through this client's login: refreshed before it expires, renewed after a 401.
        /// </summary>
        public Task<Dictionary<string, object>> CallIdempotentAsync(string rpcId, IDictionary<string, object> payload, IdempotentOptions options = null) =>
            IdempotentRpc.RetryAsync(body => _login.RpcAsync(rpcId, body), payload, options);

        /// <summary>Leaves for good: the seat is freed at once and the stored ticket forgotten.</summary>
        public async Task QuitAsync()
        {
            var conn = _conn;
            var matchId = MatchId;
            if (conn != null && matchId != null && State == RejoinState.Live)
            {
                conn.Send(OpCode.Quit, new Dictionary<string, object>());
                await conn.LeaveAsync(1000);
            }
            // (While disconnected nothing can be sent: the seat is then freed when its grace window ends.)
            if (matchId != null) _store.Clear(matchId);
            Close();
        }

        /// <summary>Stops without leaving: the seat stays reserved for its grace window (rejoin later).</summary>
        public void Close()
        {
            _generation++;
            State = RejoinState.Closed;
            _wake?.Cancel();
            Drop();
            FailWaiter(new OperationCanceledException("closed"), null);
        }

        // ---- connection -------------------------------------------------------------------------

        void AssertIdle()
        {
            if (State != RejoinState.Idle && State != RejoinState.Closed) throw new InvalidOperationException("cannot join while " + State);
        }

        void Begin(string matchId)
        {
            AssertIdle();
            _route = null;
            _generation++;
            State = RejoinState.Joining;
            Adopt(matchId, false);
        }

        /// <summary>Makes matchId the current match; carry keeps pending actions (same seat, new match id).</summary>
        void Adopt(string matchId, bool carry)
        {
            var ticket = _store.Get(matchId);
            var old = MatchId;
            if (carry && old != null && old != matchId)
            {
                var oldTicket = _store.Get(old);
                _store.Clear(old);
                _pending.RaiseNext(Math.Max(ticket?.NextActionSeq ?? 1, oldTicket?.NextActionSeq ?? 1));
            }
            else if (!carry)
            {
                _pending = new PendingActions(ticket?.NextActionSeq ?? 1);
                LastSnapshot = null;
                Seat = null;
            }
            MatchId = matchId;
            _seq = new SequenceTracker();
            SaveTicket(ticket?.Token, true);
        }

        void Abandon()
        {
            if (State == RejoinState.Joining) State = RejoinState.Idle;
            Drop();
        }

        /// <summary>Closes the current connection, if any.</summary>
        void Drop()
        {
            var conn = _conn;
            _conn = null;
            conn?.Close();
        }

        /// <summary>One connection: a fresh login if needed, a new socket, the join, its SNAPSHOT.</summary>
        async Task<Snapshot> EnterAsync(string matchId, string token)
        {
            var conn = await ConnectAsync();
            var waiter = new Waiter { Conn = conn, Done = new TaskCompletionSource<Snapshot>(TaskCreationOptions.RunContinuationsAsynchronously) };
            _waiter = waiter;
            try
            {
                var timeout = Task.Delay(_o.JoinTimeoutMs);
                var join = conn.JoinAsync(matchId, token);
                MatchTransport.Observe(join);
                var first = await Task.WhenAny(join, waiter.Done.Task, timeout);
                if (first == join)
                {
                    await join;
                    first = await Task.WhenAny(waiter.Done.Task, timeout);
                }
                if (first == timeout) throw new TimeoutException("join_timeout");
                return await waiter.Done.Task;
            }
            catch (Exception)
            {
                if (_waiter == waiter) _waiter = null;
                if (_conn == conn) _conn = null;
                conn.Close();
                throw;
            }
        }

        /// <summary>A new connection, made the current one (the previous one is closed), connected with a valid login.</summary>
        async Task<MatchTransport> ConnectAsync()
        {
            var generation = _generation;
            await _login.EnsureAsync();
            MatchTransport conn = null;
            conn = new MatchTransport((_route?.NewSocket ?? _newSocket)(), _ctx, _o.HeartbeatMs, m => { if (conn == _conn) OnMessage(m); }, why => Gone(conn, why));
            var previous = _conn;
            _conn = conn;
            previous?.Close();
            try
            {
                await conn.ConnectAsync(_login.Session, _o.AppearOnline, _o.ConnectTimeoutSec);
            }
            catch (ConnectFailedException e)
            {
                if (_conn == conn) _conn = null;
                // The server refused the login on the upgrade (expired or revoked): renew it next time.
                if (e.Unauthorized) _login.Refused();
                throw;
            }
            if (_generation != generation)
            {
                // Close() or a new join happened meanwhile: this connection belongs to nothing.
                if (_conn == conn) _conn = null;
                conn.Close();
                throw new OperationCanceledException("closed");
            }
            return conn;
        }

        /// <summary>The connection is gone (it closed itself, or the match moved): reconnect if it was live.</summary>
        void Gone(MatchTransport conn, string why)
        {
            if (conn != _conn) return;
            _conn = null;
            conn.Close();
            FailWaiter(new IOException(why), conn);
            if (State == RejoinState.Live) _ = ReconnectGuardedAsync(why);
        }

        async Task ReconnectGuardedAsync(string why)
        {
            try
            {
                await ReconnectAsync(why);
            }
            catch (Exception e)
            {
                Log("reconnect loop failed", "matchId", MatchId, "reason", ReasonOf(e));
                if (State == RejoinState.Reconnecting) Lost("internal_error");
            }
        }

        void FailWaiter(Exception e, MatchTransport conn)
        {
            var w = _waiter;
            if (w == null || (conn != null && w.Conn != conn)) return;
            _waiter = null;
            w.Done.TrySetException(e);
        }

        /// <summary>To the match over the current connection; between connections nothing is sent (the reconnect resends what matters).</summary>
        void SendRaw(long op, Dictionary<string, object> body) => _conn?.Send(op, body);

        void SaveTicket(string token = null, bool setToken = false)
        {
            if (MatchId == null) return;
            try
            {
                var prev = _store.Get(MatchId);
                _store.Set(new SeatTicket { MatchId = MatchId, Token = setToken ? token : prev?.Token, NextActionSeq = _pending.Next });
            }
            catch (Exception e)
            {
                Log("token store failed", "matchId", MatchId, "reason", ReasonOf(e));
            }
        }

        // ---- messages -----------------------------------------------------------------------------

        void OnMessage(ServerMessage m)
        {
            var body = m.Body;
            switch (m.Op)
            {
                case OpCode.Snapshot:
                    OnSnapshot(m.Snapshot);
                    return;
                case OpCode.Seat:
                case OpCode.Event:
                {
                    // Until this connection has its SNAPSHOT, the SNAPSHOT will hold these.
                    if (State != RejoinState.Live) return;
                    var got = m.Seq;
                    var verdict = _seq.Broadcast(got);
                    if (verdict == SeqVerdict.Gap)
                    {
                        if (_seq.ShouldResync())
                        {
                            Log("sequence gap; asking for a snapshot", "matchId", MatchId, "after", _seq.Current, "got", got);
                            SendRaw(OpCode.Resync, new Dictionary<string, object>());
                        }
                        return;
                    }
                    if (verdict == SeqVerdict.Stale) return;
                    if (m.Op == OpCode.Seat) Emit(SeatChanged, body);
                    else Emit(GameEvent, body);
                    return;
                }
                case OpCode.End:
                {
                    // Terminal whatever its seq: nothing comes after it.
                    var reason = m.Reason;
                    if (reason == EndReason.Moved && _conn != null)
                    {
                        // Not an end of the game: another copy of the match took over. Find it and rejoin.
                        _resumeFirst = true;
                        Gone(_conn, "match_moved");
                        return;
                    }
                    if (reason == EndReason.TakenOver)
                    {
                        // Another device of this player took the seat: rejoining would take it back
                        // and the two would fight for it forever. The match goes on there.
                        Finish(true, MatchId, EndReason.TakenOver, null);
                        return;
                    }
                    Finish(false, MatchId, reason, m.Result);
                    return;
                }
                case OpCode.Ack:
                {
                    var seq = m.ActionSeq;
                    if (seq != null) _pending.Ack(seq.Value);
                    Emit(Ack, body);
                    return;
                }
                case OpCode.Error:
                    Emit(Error, body);
                    // Another connection of this player took the seat over: do not fight it for the seat.
                    if (m.Code == MessageError.NotSeated && State == RejoinState.Live) Finish(true, MatchId, EndReason.TakenOver, null);
                    return;
            }
        }

        void OnSnapshot(Snapshot s)
        {
            var first = State != RejoinState.Live;
            LastSnapshot = s;
            Seat = s.Seat;
            _seq.Snapshot(s.Seq);
            var resend = _pending.AfterSnapshot(s.LastActionSeq);
            if (!string.IsNullOrEmpty(s.Token)) SaveTicket(s.Token, true);
            else SaveTicket();
            if (first)
            {
                State = RejoinState.Live;
                // On a new connection: exactly the actions the server has not processed, in order. (On
                // a RESYNC over the same connection, actions in flight are still on their way: no resend.)
                foreach (var a in resend) SendRaw(OpCode.Action, a.Message());
                if (resend.Count > 0) Log("resent actions", "matchId", MatchId, "count", resend.Count, "from", resend[0].ActionSeq);
            }
            Emit(SnapshotReceived, s);
            if (first)
            {
                Log(s.Resumed ? "resumed seat" : "joined", "matchId", MatchId, "seat", s.Seat, "userId", s.UserId);
                if (s.Resumed) Emit(Resumed, new ResumedInfo { MatchId = MatchId, Seat = s.Seat, Snapshot = s });
                Emit(Connected, new ConnectedInfo { MatchId = MatchId, Seat = s.Seat, Resumed = s.Resumed });
            }
            var w = _waiter;
            if (w != null && w.Conn == _conn)
            {
                _waiter = null;
                w.Done.TrySetResult(s);
            }
        }

        void Finish(bool seatLost, string matchId, string reason, object result)
        {
            if (State == RejoinState.Closed) return;
            if (MatchId != null) _store.Clear(MatchId);
            Close();
            Log(seatLost ? "seat lost" : "match ended", "matchId", matchId, "reason", reason);
            if (seatLost) Emit(SeatLost, new SeatLostInfo { MatchId = matchId, Reason = reason });
            else Emit(Ended, new EndedInfo { MatchId = matchId, Reason = reason, Result = result });
        }

        // ---- reconnecting -------------------------------------------------------------------------

        async Task ReconnectAsync(string why)
        {
            State = RejoinState.Reconnecting;
            var generation = _generation;
            var snap = LastSnapshot;
            var noticed = _now();
            var deadline = Backoff.GiveUpAt(noticed, snap.GraceTicks, snap.TickRate, _o.ManualGiveUpMs);
            Log("connection lost; reconnecting", "matchId", MatchId, "reason", why, "msLeft", deadline - noticed);
            for (var attempt = 1; ; attempt++)
            {
                if (State != RejoinState.Reconnecting || _generation != generation) return;
                var delay = Backoff.NextDelay(attempt - 1, _now(), deadline, _o.Backoff, _random);
                if (delay == null)
                {
                    await LastChanceAsync();
                    return;
                }
                Emit(Reconnecting, new ReconnectingInfo { MatchId = MatchId, Attempt = attempt, MsLeft = Math.Max(0, deadline - _now()), Reason = why });
                await SleepAsync(delay.Value);
                if (State != RejoinState.Reconnecting || _generation != generation) return;
                if (await AttemptAsync(attempt)) return;
            }
        }

        async Task SleepAsync(long ms)
        {
            var wake = new CancellationTokenSource();
            _wake = wake;
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(ms), wake.Token);
            }
            catch (OperationCanceledException)
            {
                // Close() woke it.
            }
            if (_wake == wake) _wake = null;
        }

        /// <summary>One rejoin: true when back in, or when the seat's fate is known and reported.</summary>
        async Task<bool> AttemptAsync(int n)
        {
            var done = await AttemptOnceAsync(n);
            // The node followed last may be the one that is gone: the next attempt starts from the first client.
            if (!done) _route = null;
            return done;
        }

        async Task<bool> AttemptOnceAsync(int n)
        {
            var matchId = MatchId;
            var token = _store.Get(matchId)?.Token;
            try
            {
                if (token == null) return await ViaResumeAsync("token_missing");
                if (_resumeFirst) return await ViaResumeAsync("match_moved");
                await EnterAsync(matchId, token);
                return true;
            }
            catch (Exception e)
            {
                var reason = ReasonOf(e);
                Log("rejoin attempt failed", "matchId", matchId, "attempt", n, "reason", reason);
                if (State != RejoinState.Reconnecting) return true;
                if (e is SessionExpiredException) return Lost("session_expired");
                if (Final.Contains(reason)) return Lost(reason);
                if (AskResume.Contains(reason))
                {
                    try
                    {
                        return await ViaResumeAsync(reason);
                    }
                    catch (Exception e2)
                    {
                        Log("session_resume failed", "matchId", matchId, "reason", ReasonOf(e2));
                    }
                }
                // The network, a timeout, rate_limited, server_stopping: the seat is kept. Next attempt.
                return false;
            }
        }

        bool Lost(string reason)
        {
            Finish(true, MatchId, reason, null);
            return true;
        }

        /// <summary>The local deadline passed: the server noticed the drop later than we did, so ask it once.</summary>
        async Task LastChanceAsync()
        {
            try
            {
                if (await ViaResumeAsync("grace_expired")) return;
            }
            catch (Exception e)
            {
                Log("session_resume failed", "matchId", MatchId, "reason", ReasonOf(e));
            }
            if (State == RejoinState.Reconnecting) Lost("grace_expired");
        }

        /// <summary>
        /// session_resume where the match was last found (the first client, or the node followed
        /// last), following an `elsewhere` answer to the node it names when the resolver knows it.
        /// The match's socket then goes to the node that answered.
        /// </summary>
        async Task<Dictionary<string, object>> AskResumeAsync()
        {
            var found = await NodeRoute.ResumeAcrossNodesAsync(
                client => _login.RpcAsync(Rpc.SessionResume, new Dictionary<string, object>(), client),
                _route,
                node => NodeRoute.To(node, _client, _o),
                Log);
            _route = found.Route;
            return found.Answer;
        }

        /// <summary>Asks session_resume and acts on it: rejoin the seat it reports, or report the seat's fate.</summary>
        async Task<bool> ViaResumeAsync(string why)
        {
            var r = await AskResumeAsync();
            if (State == RejoinState.Closed) return true;
            var status = Json.Str(r, "status");
            var matchId = Json.Str(r, "matchId");
            if (status == ResumeStatus.Elsewhere)
            {
                // Alive on another node the client cannot reach: retried within the grace window; if
                // that node is dead, the match is restored here once its lease runs out.
                Log("match runs on another node", "matchId", matchId, "node", Json.Str(r, "node"));
                return false;
            }
            if (status == ResumeStatus.Active)
            {
                _resumeFirst = false;
                var known = _store.Get(matchId)?.Token ?? (matchId != MatchId && MatchId != null ? _store.Get(MatchId)?.Token : null);
                var token = Json.Str(r, "token") ?? known;
                // A new match id after a server restart is the same seat, restored: actions carry over.
                Adopt(matchId, true);
                SaveTicket(token, true);
                if (token == null) return Lost("token_missing");
                try
                {
                    await EnterAsync(matchId, token);
                    return true;
                }
                catch (Exception e)
                {
                    var reason = ReasonOf(e);
                    Log("rejoin after session_resume failed", "matchId", matchId, "reason", reason);
                    if (Final.Contains(reason)) return Lost(reason);
                    return false;
                }
            }
            if (status == ResumeStatus.Ended)
            {
                r.TryGetValue("result", out var result);
                Finish(false, matchId, Json.Str(r, "reason"), result);
                return true;
            }
            return Lost(why == RejectReason.SeatLost || why == "grace_expired" ? why : "no_seat");
        }

        /// <summary>session_resume outside the reconnect loop (start-up, refused first join).</summary>
        async Task<ResumeOutcome> ResumeAndEnterAsync()
        {
            var r = await AskResumeAsync();
            var status = Json.Str(r, "status");
            var matchId = Json.Str(r, "matchId");
            if (status == ResumeStatus.Active)
            {
                var token = Json.Str(r, "token") ?? _store.Get(matchId)?.Token;
                if (MatchId != matchId) Adopt(matchId, false);
                SaveTicket(token, true);
                if (token == null) throw new JoinRefusedException(RejectReason.TokenInvalid);
                return new ResumeOutcome { Status = ResumeStatus.Active, MatchId = matchId, Snapshot = await EnterAsync(matchId, token) };
            }
            if (status == ResumeStatus.Ended)
            {
                _store.Clear(matchId);
                r.TryGetValue("result", out var result);
                var reason = Json.Str(r, "reason");
                Emit(Ended, new EndedInfo { MatchId = matchId, Reason = reason, Result = result });
                return new ResumeOutcome { Status = ResumeStatus.Ended, MatchId = matchId, Reason = reason, Result = result };
            }
            if (status == ResumeStatus.Elsewhere) return new ResumeOutcome { Status = ResumeStatus.Elsewhere, MatchId = matchId, Node = Json.Str(r, "node") };
            return new ResumeOutcome { Status = "none" };
        }

        // ---- plumbing -------------------------------------------------------------------------------

        internal static string ReasonOf(Exception e) => e is JoinRefusedException j ? j.Reason : e.Message;

        void Emit<T>(Action<T> handlers, T payload)
        {
            if (handlers == null) return;
            foreach (Action<T> h in handlers.GetInvocationList())
            {
                try
                {
                    h(payload);
                }
                catch (Exception e)
                {
                    Log("event handler threw", "reason", ReasonOf(e));
                }
            }
        }

        void Log(string message, params object[] fields)
        {
            if (_o.Log == null) return;
            var sb = new StringBuilder(message);
            for (var i = 0; i + 1 < fields.Length; i += 2) sb.Append(' ').Append(fields[i]).Append('=').Append(fields[i + 1]);
            try
            {
                _o.Log(Redact.Text(sb.ToString()));
            }
            catch (Exception)
            {
                // a logger must not break the connection
            }
        }
    }
}
