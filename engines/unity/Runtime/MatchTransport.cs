// One connection to the server, as the client opens and closes them: a socket with a connect
// timeout, a heartbeat that takes a silent link for a drop, the join of one match, its messages
// decoded into typed ones, and a close that does not wait for a black-holed link. The connection
// never comes back: the client makes a new one. Its callbacks run on the client's context.
using System;
using System.Collections.Generic;
using System.IO;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using Nakama;

namespace NakamaRejoin
{
    /// <summary>A connect that failed; Unauthorized: the server refused the login (renew it before the next try).</summary>
    sealed class ConnectFailedException : IOException
    {
        public readonly bool Unauthorized;

        public ConnectFailedException(string message, bool unauthorized) : base(message) { Unauthorized = unauthorized; }
    }

    sealed class MatchTransport
    {
        readonly ISocket _socket;
        readonly SynchronizationContext _ctx;
        readonly int _heartbeatMs;
        readonly Action<ServerMessage> _onMessage;
        readonly Action<string> _onLost;
        readonly CancellationTokenSource _stop = new CancellationTokenSource();
        string _matchId;
        bool _closed;

        /// <summary>
        /// A transport over <paramref name="socket"/>, not connected yet. <paramref name="onMessage"/>
        /// gets the match's messages; <paramref name="onLost"/> hears once that the link is gone
        /// (closed, heartbeat_timeout), after the transport closed itself. Neither is called after Close().
        /// </summary>
        public MatchTransport(ISocket socket, SynchronizationContext ctx, int heartbeatMs, Action<ServerMessage> onMessage, Action<string> onLost)
        {
            _socket = socket;
            _ctx = ctx;
            _heartbeatMs = heartbeatMs;
            _onMessage = onMessage;
            _onLost = onLost;
            _socket.ReceivedMatchState += OnState;
            _socket.Closed += OnClosed;
        }

        // The socket raises these on its own thread.
        void OnState(IMatchState m) => _ctx.Post(_ =>
        {
            if (_closed) return;
            var message = ServerMessage.Decode(m.OpCode, m.State);
            if (message != null) _onMessage(message);
        }, null);

        void OnClosed(string reason) => _ctx.Post(_ => Lose("closed"), null);

        /// <summary>Connects with <paramref name="session"/>; a failure closes the transport and throws ConnectFailedException.</summary>
        public async Task ConnectAsync(ISession session, bool appearOnline, int timeoutSec)
        {
            try
            {
                await _socket.ConnectAsync(session, appearOnline, timeoutSec);
            }
            catch (Exception e)
            {
                Close();
                throw new ConnectFailedException("connect_failed: " + Redact.Text(e.Message), e.Message.Contains("401"));
            }
            if (!_closed) _ = HeartbeatAsync();
        }

        /// <summary>
        /// Joins <paramref name="matchId"/> (with a reconnect token, or none for a first join):
        /// done when the server accepts; its SNAPSHOT comes as a message. A refusal throws
        /// JoinRefusedException with its rejectMessage.
        /// </summary>
        public async Task JoinAsync(string matchId, string token)
        {
            _matchId = matchId;
            var metadata = token != null ? new Dictionary<string, string> { ["token"] = token } : null;
            try
            {
                await _socket.JoinMatchAsync(matchId, metadata);
            }
            catch (WebSocketException e)
            {
                // A refusal is the server's error: its message is the rejectMessage.
                throw new JoinRefusedException(e.Message == "Match not found" ? RejectReason.MatchNotFound : e.Message);
            }
            catch (OperationCanceledException)
            {
                throw new IOException("closed");
            }
        }

        /// <summary>Sends a message to the joined match; a socket going down drops it (the reconnect resends what matters).</summary>
        public void Send(long op, Dictionary<string, object> body)
        {
            if (_closed || _matchId == null) return;
            try
            {
                Observe(_socket.SendMatchStateAsync(_matchId, op, ServerMessage.Encode(body)));
            }
            catch (Exception)
            {
                // The socket is going down.
            }
        }

        /// <summary>Leaves the joined match, waiting at most <paramref name="timeoutMs"/> for the server's answer.</summary>
        public async Task LeaveAsync(int timeoutMs)
        {
            if (_closed || _matchId == null) return;
            var leave = _socket.LeaveMatchAsync(_matchId);
            await Task.WhenAny(leave, Task.Delay(timeoutMs));
            Observe(leave);
        }

        /// <summary>Closes for good, also a black-holed link: its close is not waited for. Nothing is reported after it.</summary>
        public void Close()
        {
            if (_closed) return;
            _closed = true;
            _socket.ReceivedMatchState -= OnState;
            _socket.Closed -= OnClosed;
            _stop.Cancel();
            try
            {
                Observe(_socket.CloseAsync());
            }
            catch (Exception)
            {
                // already gone
            }
        }

        void Lose(string why)
        {
            if (_closed) return;
            Close();
            _onLost(why);
        }

        /// <summary>
        /// A black-holed link never closes: every HeartbeatMs the transport makes a round trip that
        /// changes nothing (following no users) and takes a missing answer for a drop.
        /// </summary>
        async Task HeartbeatAsync()
        {
            while (!_closed)
            {
                try
                {
                    await Task.Delay(_heartbeatMs, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                if (_closed) return;
                Task ping;
                try
                {
                    ping = _socket.FollowUsersAsync(new string[0]);
                }
                catch (Exception)
                {
                    Lose("closed");
                    return;
                }
                Observe(ping);
                var answered = await Task.WhenAny(ping, Task.Delay(_heartbeatMs, _stop.Token)) == ping;
                if (_closed) return;
                if (!answered)
                {
                    Lose("heartbeat_timeout");
                    return;
                }
            }
        }

        /// <summary>Marks a task's failure as seen: a socket call that fails as the link goes down is no error.</summary>
        internal static void Observe(Task t) => t?.ContinueWith(x => { var _ = x.Exception; }, TaskContinuationOptions.OnlyOnFaulted);
    }
}
