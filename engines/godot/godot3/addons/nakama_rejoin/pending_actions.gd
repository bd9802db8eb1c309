# Godot 3 addon, generated from engines/godot/src/addons/nakama_rejoin/pending_actions.gd by `npm run build:godot`: edit that file.
# Actions sent but not yet acknowledged. actionSeq is strictly increasing per player for the
# whole match, rejoins included (the next number is kept with the token in the store). After a
# rejoin the SNAPSHOT says which the server processed (lastActionSeq): those are dropped, the rest
# are resent, in order. An ACK (applied, duplicate or rejected) means the server dealt with it.

# The next actionSeq to be assigned, for the token store.
var next_seq := 1
# [{"actionSeq": int, "body": Dictionary}], in order.
var _pending := []


func _init(p_next_seq: int = 1):
	next_seq = p_next_seq if p_next_seq >= 1 else 1


# Assigns the next actionSeq and remembers the action until it is acknowledged.
func add(body: Dictionary) -> Dictionary:
	var copy = body.duplicate(true)
	copy.erase("actionSeq")
	var a = {"actionSeq": next_seq, "body": copy}
	next_seq += 1
	_pending.append(a)
	return a


# Never hand out a number below `next` (a counter kept elsewhere).
func raise_next(next: int) -> void:
	if next > next_seq:
		next_seq = next


# An ACK for one actionSeq: the server has dealt with it.
func ack(action_seq: int) -> void:
	var kept := []
	for a in _pending:
		if a["actionSeq"] != action_seq:
			kept.append(a)
	_pending = kept


# A SNAPSHOT: forgets everything at or below last_action_seq and returns the rest, in order:
# exactly what to resend on a new connection.
func after_snapshot(last_action_seq: int) -> Array:
	var kept := []
	for a in _pending:
		if a["actionSeq"] > last_action_seq:
			kept.append(a)
	_pending = kept
	# A store that lost its counter never reuses a number the server has processed: it would be
	# acknowledged as a duplicate and silently dropped.
	if next_seq <= last_action_seq:
		next_seq = last_action_seq + 1
	return _pending.duplicate(true)


# The actionSeqs still waiting for an ACK, in order.
func waiting() -> Array:
	var out := []
	for a in _pending:
		out.append(a["actionSeq"])
	return out


# The message to send for an action: its body with its actionSeq.
static func message(a: Dictionary) -> Dictionary:
	var m = a["body"].duplicate(true)
	m["actionSeq"] = a["actionSeq"]
	return m
