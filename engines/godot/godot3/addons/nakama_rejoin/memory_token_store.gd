# Godot 3 addon, generated from engines/godot/src/addons/nakama_rejoin/memory_token_store.gd by `npm run build:godot`: edit that file.
# Where the client keeps what it needs to come back to a match: the latest reconnect token and the
# next actionSeq, per match ({"matchId", "token", "nextActionSeq"}). This one keeps them for as
# long as the game runs; ConfigFileTokenStore keeps them across restarts. A store of your own
# needs the same three methods. The token is a credential for the seat: never print it.

var _tickets := {}


func get_ticket(match_id: String):
	if not _tickets.has(match_id):
		return null
	return _tickets[match_id].duplicate()


func set_ticket(ticket: Dictionary) -> void:
	_tickets[ticket["matchId"]] = ticket.duplicate()


func clear(match_id: String) -> void:
	_tickets.erase(match_id)
