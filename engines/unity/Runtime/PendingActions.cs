// Actions sent but not yet acknowledged. actionSeq is strictly increasing per player for the
// whole match, rejoins included (the next number is kept with the token in the store). After a
// rejoin the SNAPSHOT says which the server processed (lastActionSeq): those are dropped, the rest
// are resent, in order. An ACK (applied, duplicate or rejected) means the server dealt with it.
using System.Collections.Generic;

namespace NakamaRejoin
{
    public sealed class PendingAction
    {
        public readonly long ActionSeq;
        public readonly Dictionary<string, object> Body;

        public PendingAction(long actionSeq, Dictionary<string, object> body)
        {
            ActionSeq = actionSeq;
            Body = body;
        }

        /// <summary>The message to send: the body with its actionSeq.</summary>
        public Dictionary<string, object> Message()
        {
            var m = new Dictionary<string, object>(Body) { ["actionSeq"] = ActionSeq };
            return m;
        }
    }

    public sealed class PendingActions
    {
        readonly List<PendingAction> _pending = new List<PendingAction>();

        public PendingActions(long nextSeq = 1)
        {
            Next = nextSeq >= 1 ? nextSeq : 1;
        }

        /// <summary>The next actionSeq to be assigned, for the token store.</summary>
        public long Next { get; private set; }

        public int Count => _pending.Count;

        /// <summary>The actionSeqs still waiting for an ACK, in order.</summary>
        public List<long> Waiting => _pending.ConvertAll(a => a.ActionSeq);

        /// <summary>Assigns the next actionSeq and remembers the action until it is acknowledged.</summary>
        public PendingAction Add(IDictionary<string, object> body)
        {
            var copy = new Dictionary<string, object>(body);
            copy.Remove("actionSeq");
            var a = new PendingAction(Next++, copy);
            _pending.Add(a);
            return a;
        }

        /// <summary>Never hand out a number below <paramref name="next"/> (a counter kept elsewhere).</summary>
        public void RaiseNext(long next)
        {
            if (next > Next) Next = next;
        }

        /// <summary>An ACK for one actionSeq: the server has dealt with it.</summary>
        public void Ack(long actionSeq) => _pending.RemoveAll(a => a.ActionSeq == actionSeq);

        /// <summary>
        /// A SNAPSHOT: forgets everything at or below lastActionSeq and returns the rest, in order:
        /// exactly what to resend on a new connection.
        /// </summary>
        public List<PendingAction> AfterSnapshot(long lastActionSeq)
        {
            _pending.RemoveAll(a => a.ActionSeq <= lastActionSeq);
            // A store that lost its counter never reuses a number the server has processed: it
            // would be acknowledged as a duplicate and silently dropped.
            if (Next <= lastActionSeq) Next = lastActionSeq + 1;
            return new List<PendingAction>(_pending);
        }
    }
}
