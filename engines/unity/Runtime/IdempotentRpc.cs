// Calls a mutating RPC exactly once from the player's point of view: one idempotencyKey per
// intended operation, reused on every retry after a network error, a timeout, an HTTP 5xx or a
// 409 with gRPC code 10 ABORTED (contention). Any other 4xx answer is final and thrown as an
// RpcRefusedException with the server's {code, message}.
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Nakama;

namespace NakamaRejoin
{
    /// <summary>The server refused the call (or kept failing with 5xx): StatusCode is HTTP, GrpcCode gRPC.</summary>
    public sealed class RpcRefusedException : Exception
    {
        public readonly long StatusCode;
        public readonly int GrpcCode;

        public RpcRefusedException(long statusCode, int grpcCode, string message) : base(message)
        {
            StatusCode = statusCode;
            GrpcCode = grpcCode;
        }

        /// <summary>
        /// The refusal an SDK exception carries. For 5xx answers the SDK leaves the server's JSON
        /// body as the message: its {code, message} are read from it.
        /// </summary>
        public static RpcRefusedException From(ApiResponseException e)
        {
            var body = Json.ParseObject(e.Message);
            var message = Json.Str(body, "message") ?? e.Message;
            var code = (int)(Json.Long(body, "code") ?? e.GrpcStatusCode);
            return new RpcRefusedException(e.StatusCode, code, message);
        }
    }

    public sealed class RetryInfo
    {
        public int Attempt;
        public long DelayMs;
        public string IdempotencyKey;
        public string Reason;
    }

    public sealed class IdempotentOptions
    {
        /// <summary>Attempts in all (default 8).</summary>
        public int Attempts = 8;
        public BackoffOptions Backoff = new BackoffOptions();
        public Func<double> Random;
        /// <summary>A key of your own, for example one saved before an app restart. Otherwise a new one.</summary>
        public string IdempotencyKey;
        /// <summary>Called before each retry, with ids only.</summary>
        public Action<RetryInfo> OnRetry;
    }

    public static class IdempotentRpc
    {
        /// <summary>The SDK's own retries are left off: this helper decides when to retry, always with the same key.</summary>
        internal static readonly RetryConfiguration NoRetry = new RetryConfiguration(1, 0);

        /// <summary>A fresh key: a random UUID. Keys need uniqueness, not secrecy.</summary>
        public static string NewKey() => Guid.NewGuid().ToString();

        /// <summary>Whether a failed call may have landed and is worth retrying with the same key.</summary>
        public static bool Retriable(Exception e)
        {
            if (e is ApiResponseException api)
            {
                if (api.StatusCode < 400 || api.StatusCode >= 500) return true;
                return api.StatusCode == 409 && RpcRefusedException.From(api).GrpcCode == 10;
            }
            if (e is RpcRefusedException refused) return refused.StatusCode >= 500 || (refused.StatusCode == 409 && refused.GrpcCode == 10);
            return !(e is ArgumentException) && !(e is SessionExpiredException);
        }

        /// <summary>
        /// Calls <paramref name="rpcId"/> with payload + idempotencyKey until it succeeds or fails for
        /// good, always with the same key, and returns the answer's JSON object. With a RejoinClient,
        /// its CallIdempotentAsync does the same through the player's login (refreshed, renewed after a 401).
        /// </summary>
        public static Task<Dictionary<string, object>> CallAsync(IClient client, ISession session, string rpcId, IDictionary<string, object> payload, IdempotentOptions options = null) =>
            RetryAsync(async body => Json.ParseObject((await client.RpcAsync(session, rpcId, Json.Write(body), NoRetry)).Payload) ?? new Dictionary<string, object>(), payload, options);

        /// <summary>The retry loop of CallAsync over <paramref name="call"/>, one attempt of the RPC with the body given.</summary>
        internal static async Task<Dictionary<string, object>> RetryAsync(Func<Dictionary<string, object>, Task<Dictionary<string, object>>> call, IDictionary<string, object> payload, IdempotentOptions options)
        {
            var o = options ?? new IdempotentOptions();
            var key = o.IdempotencyKey ?? NewKey();
            var random = o.Random ?? SharedRandom.Next;
            var body = new Dictionary<string, object>(payload) { ["idempotencyKey"] = key };
            var attempts = Math.Max(1, o.Attempts);
            Exception last = null;
            for (var attempt = 0; attempt < attempts; attempt++)
            {
                try
                {
                    return await call(body);
                }
                catch (Exception e)
                {
                    if (!Retriable(e)) throw e is ApiResponseException api ? RpcRefusedException.From(api) : e;
                    last = e is ApiResponseException a5 ? RpcRefusedException.From(a5) : e;
                    if (attempt + 1 >= attempts) break;
                    var delay = Backoff.JitteredDelay(attempt, o.Backoff, random);
                    o.OnRetry?.Invoke(new RetryInfo { Attempt = attempt + 1, DelayMs = delay, IdempotencyKey = key, Reason = e.GetType().Name + ": " + Redact.Text(e.Message) });
                    await Task.Delay(TimeSpan.FromMilliseconds(delay));
                }
            }
            throw last;
        }
    }

    /// <summary>One thread-safe source of random numbers in [0, 1).</summary>
    public static class SharedRandom
    {
        static readonly Random Source = new Random();

        public static double Next()
        {
            lock (Source) return Source.NextDouble();
        }
    }

    /// <summary>A 64-hex reconnect token or a JWT must never reach a log line, whatever an error message holds.</summary>
    public static class Redact
    {
        static readonly System.Text.RegularExpressions.Regex Hex = new System.Text.RegularExpressions.Regex("[0-9a-fA-F]{64}");
        static readonly System.Text.RegularExpressions.Regex Jwt = new System.Text.RegularExpressions.Regex(@"[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}");
        static readonly System.Text.RegularExpressions.Regex Query = new System.Text.RegularExpressions.Regex(@"token=[^&\s]+");

        public static string Text(string s) =>
            s == null ? null : Query.Replace(Jwt.Replace(Hex.Replace(s, "[redacted]"), "[redacted]"), "token=[redacted]");
    }
}
