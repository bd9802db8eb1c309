// The player's login: kept valid before every connect and RPC (refreshed with the refresh token, or
// renewed through the game's sign-in), and RPCs with one retry after a 401.
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Nakama;

namespace NakamaRejoin
{
    sealed class Login
    {
        readonly IClient _client;
        readonly RejoinOptions _o;
        readonly Func<long> _now;
        readonly Action<string, object[]> _log;
        /// <summary>The server refused the login (a 401): renew it before the next call, whatever its expiry says.</summary>
        bool _force;

        public ISession Session { get; private set; }

        public Login(IClient client, ISession session, RejoinOptions o, Func<long> now, Action<string, object[]> log)
        {
            _client = client;
            Session = session;
            _o = o;
            _now = now;
            _log = log;
        }

        /// <summary>The server refused the login on a socket upgrade or an RPC.</summary>
        public void Refused() => _force = true;

        /// <summary>Before any connect or RPC: a login that is valid for a while yet.</summary>
        public async Task EnsureAsync()
        {
            var now = DateTimeOffset.FromUnixTimeMilliseconds(_now()).UtcDateTime;
            if (!_force && !Session.HasExpired(now.AddSeconds(_o.RefreshMarginSec))) return;
            // Try the refresh token while it has not expired by our clock; the server has the last word.
            if (!string.IsNullOrEmpty(Session.RefreshToken) && !Session.HasRefreshExpired(now))
            {
                try
                {
                    Session = await _client.SessionRefreshAsync(Session, null, IdempotentRpc.NoRetry);
                    _force = false;
                    _log("session refreshed", new object[] { "userId", Session.UserId });
                    return;
                }
                catch (ApiResponseException e) when (e.StatusCode >= 400 && e.StatusCode < 500)
                {
                    // Refused: sign in again. (The network: fail this attempt and try again later.)
                }
            }
            if (_o.Reauthenticate == null) throw new SessionExpiredException();
            Session = await _o.Reauthenticate();
            _force = false;
            _log("signed in again", new object[] { "userId", Session.UserId });
        }

        /// <summary>
        /// An RPC with a valid login, under the options' RpcPrefix; one retry after a 401. Refusals
        /// become RpcRefusedException.
        /// <paramref name="client"/>: the node to ask (default the first client); the login is valid on every node.
        /// </summary>
        public async Task<Dictionary<string, object>> RpcAsync(string name, Dictionary<string, object> payload, IClient client = null)
        {
            client = client ?? _client;
            var id = (_o.RpcPrefix ?? "") + name;
            await EnsureAsync();
            var json = Json.Write(payload);
            try
            {
                return Json.ParseObject((await client.RpcAsync(Session, id, json, IdempotentRpc.NoRetry)).Payload) ?? new Dictionary<string, object>();
            }
            catch (ApiResponseException e) when (e.StatusCode == 401)
            {
                _force = true;
                await EnsureAsync();
                try
                {
                    return Json.ParseObject((await client.RpcAsync(Session, id, json, IdempotentRpc.NoRetry)).Payload) ?? new Dictionary<string, object>();
                }
                catch (ApiResponseException again) when (again.StatusCode > 0)
                {
                    throw RpcRefusedException.From(again);
                }
            }
            catch (ApiResponseException e) when (e.StatusCode > 0)
            {
                throw RpcRefusedException.From(e);
            }
        }
    }
}
