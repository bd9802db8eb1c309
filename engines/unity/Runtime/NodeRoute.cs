// Several open-source Nakama nodes on one database: a match lives on one node, and only that node
// takes joins for it. session_resume on another node answers `elsewhere` with the owner's name; a
// resolver the game gives (RejoinOptions.NodeResolver) turns that name into an address.
using System;
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
    }
}
