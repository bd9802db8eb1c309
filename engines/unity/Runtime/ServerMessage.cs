// The match's messages as the client reads them: bytes of UTF-8 JSON in, one typed message out (or
// nothing, for what is not a message of the protocol).
using System;
using System.Collections.Generic;
using System.Text;

namespace NakamaRejoin
{
    /// <summary>A message of the match: its op code, its JSON body, and the fields the protocol fixes.</summary>
    sealed class ServerMessage
    {
        public long Op;
        public Dictionary<string, object> Body;
        /// <summary>SNAPSHOT only.</summary>
        public Snapshot Snapshot;

        /// <summary>SEAT, EVENT and END: the broadcast's sequence number.</summary>
        public long? Seq => Json.Long(Body, "seq");
        /// <summary>ACK: the action it acknowledges.</summary>
        public long? ActionSeq => Json.Long(Body, "actionSeq");
        /// <summary>END: why the match ended.</summary>
        public string Reason => Json.Str(Body, "reason");
        /// <summary>END: the game's result.</summary>
        public object Result => Body.TryGetValue("result", out var r) ? r : null;
        /// <summary>ERROR: its code.</summary>
        public string Code => Json.Str(Body, "code");

        /// <summary>
        /// A message of the match, or null: not JSON, not an object, an unknown op, a SNAPSHOT
        /// without its required fields.
        /// </summary>
        public static ServerMessage Decode(long op, byte[] data)
        {
            Dictionary<string, object> body;
            try
            {
                body = Json.ParseObject(Encoding.UTF8.GetString(data));
            }
            catch (Exception)
            {
                return null;
            }
            if (body == null) return null;
            switch (op)
            {
                case OpCode.Snapshot:
                    var snapshot = Snapshot.From(body);
                    return snapshot == null ? null : new ServerMessage { Op = op, Body = body, Snapshot = snapshot };
                case OpCode.Seat:
                case OpCode.Event:
                case OpCode.Ack:
                case OpCode.End:
                case OpCode.Error:
                    return new ServerMessage { Op = op, Body = body };
                default:
                    return null;
            }
        }

        /// <summary>A message to the match: UTF-8 JSON bytes, as the protocol asks.</summary>
        public static byte[] Encode(Dictionary<string, object> body) => Encoding.UTF8.GetBytes(Json.Write(body));
    }
}
