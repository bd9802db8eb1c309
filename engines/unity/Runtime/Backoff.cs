// Reconnect delays: exponential backoff with full jitter, never scheduling an attempt past the
// seat's deadline. Randomness and time come in as arguments so the schedule can be tested.
using System;

namespace NakamaRejoin
{
    public sealed class BackoffOptions
    {
        /// <summary>Cap of the first delay, ms.</summary>
        public int BaseMs = 250;
        /// <summary>Largest cap, ms.</summary>
        public int MaxMs = 5000;
    }

    public static class Backoff
    {
        /// <summary>The cap of attempt <paramref name="attempt"/> (0 = the first retry): min(max, base × 2^attempt).</summary>
        public static double Cap(int attempt, BackoffOptions o) =>
            Math.Min(o.MaxMs, o.BaseMs * Math.Pow(2, Math.Min(Math.Max(0, attempt), 30)));

        /// <summary>Uniform in [0, cap): "full jitter", which spreads a crowd of clients that lost the same server.</summary>
        public static long JitteredDelay(int attempt, BackoffOptions o, Func<double> random) =>
            (long)Math.Floor(random() * Cap(attempt, o));

        /// <summary>
        /// The wait before attempt <paramref name="attempt"/>, or null when none fits: an attempt is
        /// only worth making if it starts more than <paramref name="minLeadMs"/> before the deadline
        /// (null: no deadline). The jittered delay is cut short so the last attempt still starts in time.
        /// </summary>
        public static long? NextDelay(int attempt, long nowMs, long? deadlineMs, BackoffOptions o, Func<double> random, long minLeadMs = 100)
        {
            var delay = JitteredDelay(attempt, o, random);
            if (deadlineMs == null) return delay;
            var latest = deadlineMs.Value - minLeadMs - nowMs;
            if (latest <= 0) return null;
            return Math.Min(delay, latest);
        }

        /// <summary>
        /// When the client stops retrying: when the drop was noticed plus the last SNAPSHOT's grace
        /// window (the server notices a drop later than the client, never earlier), or for a manual
        /// grace window <paramref name="manualGiveUpMs"/> after the drop.
        /// </summary>
        public static long GiveUpAt(long noticedAtMs, long? graceTicks, long tickRate, long manualGiveUpMs)
        {
            if (graceTicks == null || tickRate <= 0) return noticedAtMs + manualGiveUpMs;
            return noticedAtMs + (long)(graceTicks.Value * 1000.0 / tickRate);
        }
    }
}
