// The wire contract (docs/protocol.md, version 1): op codes, reasons, statuses, error codes, RPC
// names, and the SNAPSHOT a join, rejoin or RESYNC delivers. The constants mirror nakama-rejoin's
// protocol/contract.json (a test fails when one is missing or differs): class = the contract's
// group, constant = its key in PascalCase.
using System.Collections.Generic;

namespace NakamaRejoin
{
    public static class Contract
    {
        public const long ProtocolVersion = 1;
        /// <summary>The match handler's name when the game registers it under the default.</summary>
        public const string MatchModule = "arena";
        /// <summary>Largest actionSeq the server accepts; actions count up from 1.</summary>
        public const long MaxActionSeq = 2147483647;
    }

    public static class OpCode
    {
        public const long Snapshot = 1;
        public const long Seat = 2;
        public const long Event = 3;
        public const long Ack = 4;
        public const long End = 5;
        public const long Error = 6;
        public const long Action = 100;
        public const long Resync = 101;
        public const long Quit = 102;
    }

    /// <summary>The rejectMessage of a refused join, as the server words it.</summary>
    public static class RejectReason
    {
        public const string MatchFull = "match_full";
        public const string TokenInvalid = "token_invalid";
        public const string TokenExpired = "token_expired";
        public const string SeatLost = "seat_lost";
        public const string RateLimited = "rate_limited";
        public const string NotInvited = "not_invited";
        public const string MetadataInvalid = "metadata_invalid";
        public const string ServerStopping = "server_stopping";
        /// <summary>Not a rejectMessage: the server has no such match (it restarted, or the match ended).</summary>
        public const string MatchNotFound = "match_not_found";
    }

    /// <summary>status of a seat in SEAT messages and SNAPSHOT seats.</summary>
    public static class SeatStatus
    {
        public const string Connected = "connected";
        /// <summary>Dropped, inside its grace window: seat, score and position held.</summary>
        public const string Reserved = "reserved";
        public const string Free = "free";
    }

    /// <summary>reason of a SEAT message (op 2).</summary>
    public static class SeatReason
    {
        public const string Joined = "joined";
        public const string Resumed = "resumed";
        public const string Dropped = "dropped";
        public const string Left = "left";
        public const string Expired = "expired";
    }

    /// <summary>code of an ERROR message (op 6).</summary>
    public static class MessageError
    {
        public const string BadJson = "bad_json";
        public const string UnknownOp = "unknown_op";
        public const string BadMessage = "bad_message";
        public const string NotSeated = "not_seated";
        /// <summary>The ACTION was not applied (resend it after the rejoin) or the QUIT not taken.</summary>
        public const string ServerStopping = "server_stopping";
    }

    /// <summary>How an idempotent RPC's refusal message starts (the RPC was not applied).</summary>
    public static class IdempotencyError
    {
        public const string KeyInvalid = "idempotency_key_invalid";
        public const string Conflict = "idempotency_conflict";
    }

    /// <summary>result of an ACK message (op 4).</summary>
    public static class AckResult
    {
        public const string Applied = "applied";
        public const string Duplicate = "duplicate";
        public const string Rejected = "rejected";
    }

    /// <summary>reason of an END message (op 5).</summary>
    public static class EndReason
    {
        public const string RoundOver = "round_over";
        public const string Abandoned = "abandoned";
        public const string Empty = "empty";
        public const string Shutdown = "shutdown";
        /// <summary>Not an end of the game: another copy took over. Call session_resume and rejoin there.</summary>
        public const string Moved = "moved";
        public const string Operator = "operator";
        /// <summary>To this socket only: another device of the player took the seat. Do not rejoin (the two would fight for it).</summary>
        public const string TakenOver = "taken_over";
    }

    /// <summary>status of a session_resume answer.</summary>
    public static class ResumeStatus
    {
        public const string Active = "active";
        public const string Elsewhere = "elsewhere";
        public const string None = "none";
        public const string Ended = "ended";
    }

    /// <summary>
    /// How a module RPC error's message starts: "reason: detail". Over the realtime socket every
    /// module error arrives with code 7, so the reason is all there is to tell errors apart.
    /// </summary>
    public static class RpcErrorReason
    {
        public const string PayloadInvalid = "payload_invalid";
        public const string Unauthenticated = "unauthenticated";
        public const string ModeUnknown = "mode_unknown";
        public const string CreateRateLimited = "create_rate_limited";
        public const string TooManyOpenMatches = "too_many_open_matches";
        /// <summary>session_resume: retry in a moment.</summary>
        public const string Busy = "busy";
        /// <summary>session_resume: retry in a moment.</summary>
        public const string Restoring = "restoring";
        /// <summary>session_resume: retry in a few seconds.</summary>
        public const string ShuttingDown = "shutting_down";
        public const string IdempotencyKeyInvalid = "idempotency_key_invalid";
        public const string IdempotencyConflict = "idempotency_conflict";
        public const string Contended = "contended";
        public const string ItemUnknown = "item_unknown";
        public const string QuantityInvalid = "quantity_invalid";
        public const string InsufficientFunds = "insufficient_funds";
        public const string ServerOwned = "server_owned";
        public const string OperatorOnly = "operator_only";
        public const string Internal = "internal";
    }

    /// <summary>Reading a module RPC error.</summary>
    public static class RpcErrors
    {
        /// <summary>The reason an RPC error message starts with, or null.</summary>
        public static string ReasonOf(string message)
        {
            if (message == null) return null;
            var colon = message.IndexOf(':');
            if (colon <= 0) return null;
            for (var i = 0; i < colon; i++)
            {
                var c = message[i];
                if (!(c == '_' || (c >= 'a' && c <= 'z'))) return null;
            }
            return message.Substring(0, colon);
        }
    }

    public static class Rpc
    {
        public const string MatchCreate = "match_create";
        public const string MatchFind = "match_find";
        public const string SessionResume = "session_resume";
        public const string ShopPurchase = "shop_purchase";
    }

    /// <summary>
    /// A SNAPSHOT (op 1): the whole picture the player may see, never a diff. The typed fields are
    /// the ones every game has; <see cref="Game"/> and <see cref="Raw"/> hold the rest as parsed JSON.
    /// </summary>
    public sealed class Snapshot
    {
        public long Seq;
        public long Tick;
        public long TickRate;
        public string Mode;
        /// <summary>Ticks a seat is held after a drop; null for a manual grace window.</summary>
        public long? GraceTicks;
        public int Seat;
        public string UserId;
        /// <summary>The next reconnect token; null on a RESYNC. Never log it.</summary>
        public string Token;
        /// <summary>True when this join took back a seat the user already held.</summary>
        public bool Resumed;
        /// <summary>The highest actionSeq of this player the server has processed.</summary>
        public long LastActionSeq;
        /// <summary>Every seat: {seat, userId, status, graceTicksLeft?}.</summary>
        public List<object> Seats;
        /// <summary>The game's own state (the demo game: {seats: [{score, x, y, forfeited}]}).</summary>
        public Dictionary<string, object> Game;
        public Dictionary<string, object> Raw;

        /// <summary>A SNAPSHOT from its parsed JSON, or null when a required field is missing.</summary>
        public static Snapshot From(Dictionary<string, object> o)
        {
            var you = Json.Obj(o, "you");
            var seq = Json.Long(o, "seq");
            var last = Json.Long(o, "lastActionSeq");
            var seat = Json.Long(you, "seat");
            if (seq == null || last == null || seat == null) return null;
            return new Snapshot
            {
                Seq = seq.Value,
                Tick = Json.Long(o, "tick") ?? 0,
                TickRate = Json.Long(o, "tickRate") ?? 0,
                Mode = Json.Str(o, "mode"),
                GraceTicks = Json.Long(o, "graceTicks"),
                Seat = (int)seat.Value,
                UserId = Json.Str(you, "userId"),
                Token = Json.Str(o, "token"),
                Resumed = Json.Bool(o, "resumed"),
                LastActionSeq = last.Value,
                Seats = Json.Arr(o, "seats") ?? new List<object>(),
                Game = Json.Obj(o, "game"),
                Raw = o,
            };
        }

        public override string ToString() => $"Snapshot(seq={Seq}, tick={Tick}, seat={Seat}, resumed={Resumed}, lastActionSeq={LastActionSeq})";
    }
}
