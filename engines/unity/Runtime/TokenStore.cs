// Where the client keeps what it needs to come back to a match: the latest reconnect token and
// the next actionSeq, per match. Synchronous on purpose: a ticket is written on every SNAPSHOT and
// action, and must be in place before the next message can arrive.
//
// The token is a bearer credential for the seat: keep it where the app keeps its login, and
// never log it.
using System.Collections.Generic;

namespace NakamaRejoin
{
    public sealed class SeatTicket
    {
        public string MatchId;
        /// <summary>Latest reconnect token (null until the first SNAPSHOT, or after it was lost).</summary>
        public string Token;
        /// <summary>The next actionSeq: strictly increasing for the whole match, rejoins included.</summary>
        public long NextActionSeq = 1;

        public SeatTicket Copy() => new SeatTicket { MatchId = MatchId, Token = Token, NextActionSeq = NextActionSeq };

        /// <summary>The ticket as JSON, for stores that keep strings (no fields besides these three).</summary>
        public string ToJson() => Json.Write(new Dictionary<string, object> { ["matchId"] = MatchId, ["token"] = Token, ["nextActionSeq"] = NextActionSeq });

        /// <summary>A ticket from <see cref="ToJson"/>, or null when the text is not a valid one.</summary>
        public static SeatTicket FromJson(string text)
        {
            var o = Json.ParseObject(text);
            var matchId = Json.Str(o, "matchId");
            var next = Json.Long(o, "nextActionSeq");
            if (matchId == null || next == null || next.Value < 1) return null;
            if (o.TryGetValue("token", out var t) && t != null && !(t is string)) return null;
            return new SeatTicket { MatchId = matchId, Token = t as string, NextActionSeq = next.Value };
        }
    }

    public interface ITokenStore
    {
        SeatTicket Get(string matchId);
        void Set(SeatTicket ticket);
        void Clear(string matchId);
    }

    /// <summary>Keeps tickets for as long as the process runs.</summary>
    public sealed class MemoryTokenStore : ITokenStore
    {
        readonly Dictionary<string, SeatTicket> _tickets = new Dictionary<string, SeatTicket>();

        public SeatTicket Get(string matchId)
        {
            lock (_tickets) return _tickets.TryGetValue(matchId, out var t) ? t.Copy() : null;
        }

        public void Set(SeatTicket ticket)
        {
            lock (_tickets) _tickets[ticket.MatchId] = ticket.Copy();
        }

        public void Clear(string matchId)
        {
            lock (_tickets) _tickets.Remove(matchId);
        }
    }

    /// <summary>
    /// Any string key-value store (Unity's PlayerPrefs, a save file) as a token store: one entry per
    /// match under prefix + matchId.
    /// </summary>
    public abstract class StringTokenStore : ITokenStore
    {
        readonly string _prefix;

        protected StringTokenStore(string prefix = "nakama-rejoin.")
        {
            _prefix = prefix;
        }

        protected abstract string Read(string key);
        protected abstract void Write(string key, string value);
        protected abstract void Delete(string key);

        public SeatTicket Get(string matchId)
        {
            var raw = Read(_prefix + matchId);
            if (string.IsNullOrEmpty(raw)) return null;
            var t = SeatTicket.FromJson(raw);
            return t != null && t.MatchId == matchId ? t : null;
        }

        public void Set(SeatTicket ticket) => Write(_prefix + ticket.MatchId, ticket.ToJson());

        public void Clear(string matchId) => Delete(_prefix + matchId);
    }
}
