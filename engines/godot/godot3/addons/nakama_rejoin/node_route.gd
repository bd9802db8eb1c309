# Godot 3 addon, generated from engines/godot/src/addons/nakama_rejoin/node_route.gd by `npm run build:godot`: edit that file.
# Several open-source Nakama nodes on one database: a match lives on one node, and only that node
# takes joins for it. session_resume on another node answers `elsewhere` with the owner's name; the
# game's node_resolver turns that name into an address, and this makes the client that reaches it.


# A NakamaClient for `node`, or null: no resolver, a node it does not know, or the address
# `socket_client` already connects to. `resolver`: a Callable (Godot 3: FuncRef) from a node name
# to {"host", "port", "scheme"} or null. The new client has `client`'s server key and timeout (the
# login stays valid: every node shares the server key); `nakama` is the Nakama autoload.
static func client_for(node: String, resolver, client, socket_client, nakama):
	if resolver == null or node == "":
		return null
	var addr = resolver.call_func(node)
	if typeof(addr) != TYPE_DICTIONARY or not addr.has("host"):
		return null
	var host = str(addr["host"])
	var port = int(addr.get("port", client.port))
	var scheme = str(addr.get("scheme", client.scheme))
	if host == socket_client.host and port == socket_client.port and scheme == socket_client.scheme:
		return null
	# create_client sets the SDK's one log level: keep the level the game chose (above DEBUG).
	return nakama.create_client(client.server_key, host, port, scheme, client.timeout, nakama.logger._level)
