# Tickets in a ConfigFile under user://, so a player who relaunches the game gets its seat back:
# one key per match, saved at once. The file is plain storage on the device: the token it holds
# is a credential for the seat, as the login is.

const SECTION := "tickets"

var path: String
var _file := ConfigFile.new()


func _init(p_path: String = "user://nakama_rejoin.cfg"):
	path = p_path
	_file.load(path)


func get_ticket(match_id: String):
	if not _file.has_section_key(SECTION, match_id):
		return null
	var t = _file.get_value(SECTION, match_id)
	if typeof(t) != TYPE_DICTIONARY or not t.has("matchId") or not t.has("nextActionSeq") or t["matchId"] != match_id:
		return null
	return {"matchId": t["matchId"], "token": t.get("token", null), "nextActionSeq": int(t["nextActionSeq"])}


func set_ticket(ticket: Dictionary) -> void:
	_file.set_value(SECTION, ticket["matchId"], {"matchId": ticket["matchId"], "token": ticket["token"], "nextActionSeq": ticket["nextActionSeq"]})
	_file.save(path)


func clear(match_id: String) -> void:
	if _file.has_section_key(SECTION, match_id):
		_file.set_value(SECTION, match_id, null)
		_file.save(path)
