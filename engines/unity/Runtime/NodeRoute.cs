// Several open-source Nakama nodes on one database: a match lives on one node, and only that node
// takes joins for it. session_resume on another node answers `elsewhere` with the owner's name; a
// resolver the game gives (RejoinOptions.NodeResolver) turns that name into an address.
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Nakama;

namespace NakamaRejoin
{
    /// <summary>Where a server node listens, as a Nakama Client is configured.</summary>
    public sealed class NodeAddress
    {
        /// <summary>"http", or "https" for TLS (the socket then uses wss).</summary>
        public string Scheme = "http";
        public string Host;
        public int Port = 7350;

        public NodeAddress() { }

        public NodeAddress(string scheme, string host, int port)
        {
            Scheme = scheme;
            Host = host;
            Port = port;
        }
    }

    /// <summary>The client and sockets the match uses on one node.</summary>
    sealed class NodeRoute
    {
        public string Node;
        public IClient Client;
        public Func<ISocket> NewSocket;

        /// <summary>A route to <paramref name="node"/> through the options' resolver, or null (no resolver, unknown node, bad answer).</summary>
        public static NodeRoute To(string node, IClient home, RejoinOptions o)
        {
            if (o.NodeResolver == null || string.IsNullOrEmpty(node)) return null;
            var address = o.NodeResolver(node);
            if (address == null || string.IsNullOrEmpty(address.Host) || address.Port <= 0) return null;
            // A login is valid on every node that shares the database and the session key.
            var client = o.NodeClient != null ? o.NodeClient(address) : new Client(address.Scheme ?? "http", address.Host, address.Port, home.ServerKey) { Timeout = home.Timeout };
            var newSocket = o.NodeSocket ?? (c => Socket.From(c));
            return new NodeRoute { Node = node, Client = client, NewSocket = () => newSocket(client) };
        }

        /// <summary>How many `elsewhere` answers in a row to follow (the match may move once more meanwhile).</summary>
        const int MaxNodeHops = 2;

        /// <summary>A session_resume answer and the route it came from (null: the first client).</summary>
        public sealed class Found
        {
            public Dictionary<string, object> Answer;
            public NodeRoute Route;
        }

        /// <summary>
        /// session_resume where the match was last found (<paramref name="from"/>: the node followed
        /// last, or null for the first client), following an `elsewhere` answer to the node it names
        /// when <paramref name="route"/> knows it. The match's socket then goes where the answer came from.
        /// </summary>
        public static async Task<Found> ResumeAcrossNodesAsync(Func<IClient, Task<Dictionary<string, object>>> ask, NodeRoute from, Func<string, NodeRoute> route, Action<string, object[]> log)
        {
            var r = await ask(from?.Client);
            var at = from;
            for (var hop = 0; Json.Str(r, "status") == ResumeStatus.Elsewhere && hop < MaxNodeHops; hop++)
            {
                var node = Json.Str(r, "node");
                var next = route(node);
                if (next == null || next.Node == at?.Node) break;
                log("following the match to its node", new object[] { "matchId", Json.Str(r, "matchId"), "node", node });
                try
                {
                    r = await ask(next.Client);
                }
                catch (Exception e)
                {
                    // Not reachable from here (or gone: then the match is restored once its lease runs out).
                    log("node did not answer", new object[] { "node", node, "reason", RejoinClient.ReasonOf(e) });
                    break;
                }
                at = next;
            }
            return new Found { Answer = r, Route = at };
        }
    }
}
