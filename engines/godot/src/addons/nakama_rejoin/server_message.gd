# A message of the match as the client reads it: its op code and the JSON object the server sent,
# with the fields the client relies on checked. What is not a message of the protocol (not JSON,
# not an object, an unknown op, a SNAPSHOT without its fields, a SEAT or EVENT without its seq)
# decodes to null and is ignored.

const Protocol = preload("protocol.gd")

var op := 0
# The object as sent: what the game's signals carry.
var body := {}


func _init(p_op: int, p_body: Dictionary):
	op = p_op
	body = p_body


# SNAPSHOT, SEAT and EVENT: the broadcast's sequence number.
func seq() -> int:
	return int(body["seq"])


# ACK: the action it acknowledges, or -1.
func action_seq() -> int:
	return int(body["actionSeq"]) if body.has("actionSeq") else -1


# END: why the match ended (a Protocol.END_REASON_*).
func reason() -> String:
	return str(body.get("reason"))


# ERROR: its code (a Protocol.MESSAGE_ERROR_*).
func code() -> String:
	return str(body.get("code"))


# The body of a message of op `op` from the socket's `data`, or null when it is not one.
static func decode(op: int, data: String):
	var parsed = JSON.parse_string(data)
	if typeof(parsed) != TYPE_DICTIONARY:
		return null
	var body: Dictionary = parsed
	if op == Protocol.OP_SNAPSHOT:
		var you = body.get("you")
		if not body.has("seq") or not body.has("lastActionSeq") or typeof(you) != TYPE_DICTIONARY or not you.has("seat"):
			return null
	elif op == Protocol.OP_SEAT or op == Protocol.OP_EVENT:
		if not body.has("seq"):
			return null
	elif op != Protocol.OP_ACK and op != Protocol.OP_END and op != Protocol.OP_ERROR:
		return null
	return body


# A message to the match. A String goes out as UTF-8, as the protocol asks.
static func encode(body: Dictionary) -> String:
	return JSON.stringify(body)
