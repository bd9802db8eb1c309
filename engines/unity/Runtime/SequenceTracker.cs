// Gap detection over the match's broadcast sequence numbers (SEAT, EVENT, END carry `seq`).
// After a SNAPSHOT with seq S: broadcasts with seq <= S are already in it (ignore), S+1 is the
// next one (apply), anything larger means one went missing (ask for RESYNC, once until the next
// SNAPSHOT).
namespace NakamaRejoin
{
    public enum SeqVerdict { Apply, Stale, Gap }

    public sealed class SequenceTracker
    {
        bool _resyncAsked;

        /// <summary>The last seq applied (or held by the last SNAPSHOT); null before any SNAPSHOT.</summary>
        public long? Current { get; private set; }

        /// <summary>A SNAPSHOT: everything up to seq is in it.</summary>
        public void Snapshot(long seq)
        {
            Current = seq;
            _resyncAsked = false;
        }

        public SeqVerdict Broadcast(long? seq)
        {
            if (Current == null || seq == null || seq.Value <= Current.Value) return SeqVerdict.Stale;
            if (seq.Value == Current.Value + 1 && !_resyncAsked)
            {
                Current = seq;
                return SeqVerdict.Apply;
            }
            return SeqVerdict.Gap;
        }

        /// <summary>True once per gap: whether to send RESYNC now (not again until the next SNAPSHOT).</summary>
        public bool ShouldResync()
        {
            if (_resyncAsked) return false;
            _resyncAsked = true;
            return true;
        }
    }
}
