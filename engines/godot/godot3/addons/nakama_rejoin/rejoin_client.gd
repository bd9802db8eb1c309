# Godot 3 addon, generated from engines/godot/src/addons/nakama_rejoin/rejoin_client.gd by `npm run build:godot`: edit that file.
# A match connection that comes back by itself. On a closed or silent socket it reconnects on a
# new one with jittered backoff inside the seat's grace window, refreshes the login first when it
# has expired (or asks the game to sign in again), rejoins with its latest token (or asks
# session_resume for a fresh one), applies the SNAPSHOT, resends exactly the actions the server
# did not process and asks for RESYNC on a gap in `seq`.
#
# Told that the match runs on another node (session_resume `elsewhere`), it follows it there
# when the game gives a node_resolver.
#
# Never prints a token: log lines carry match, user and seat ids, attempts and reasons only.
# Create the NakamaClient with a log level above DEBUG: the SDK prints join metadata at DEBUG.
class_name NakamaRejoinClient
extends Reference

const Protocol = preload("protocol.gd")
const GodotApi = preload("godot_api.gd")
const Backoff = preload("backoff.gd")
const PendingActions = preload("pending_actions.gd")
const SequenceTracker = preload("sequence_tracker.gd")
const MemoryTokenStore = preload("memory_token_store.gd")
const ConfigFileTokenStore = preload("config_file_token_store.gd")
const Waiter = preload("waiter.gd")

# In the match with a SNAPSHOT on a (new) connection.
signal connected(match_id, seat, resumed)
# The connection is gone; attempt `attempt` starts shortly. ms_left: until the client gives up.
signal reconnecting(match_id, attempt, ms_left, reason)
# Back in a seat the player already held (after a drop, an app or a server restart).
signal resumed(match_id, seat, snapshot)
# The seat is gone for good; the client has stopped.
signal seat_lost(match_id, reason)
# The match ended (END, or session_resume said so); the client has stopped.
signal ended(match_id, reason, result)
signal snapshot_received(snapshot)
signal seat_changed(message)
signal game_event(message)
signal ack(message)
signal error(message)

enum { IDLE, JOINING, LIVE, RECONNECTING, CLOSED }

# Refusals after which retrying cannot help.
const FINAL = [Protocol.REJECT_REASON_TOKEN_EXPIRED, Protocol.REJECT_REASON_NOT_INVITED, Protocol.REJECT_REASON_MATCH_FULL, Protocol.REJECT_REASON_METADATA_INVALID]
# Refusals that session_resume can fix (a fresh token, a restored match, or how the match ended).
# (match_not_found: the SDK's refusal of a match this node does not run.)
const ASK_RESUME = [Protocol.REJECT_REASON_TOKEN_INVALID, Protocol.REJECT_REASON_SEAT_LOST, "match_not_found"]

var client  # NakamaClient: RPCs and session refresh
var socket_client  # NakamaClient whose host and port the sockets use (default: client)
var session  # NakamaSession, renewed by the client when it expires
var store  # get_ticket / set_ticket / clear; default MemoryTokenStore
# Callable (Godot 3: FuncRef; it may await or yield) returning a new NakamaSession: called when
# the login cannot be refreshed (the refresh token expired too).
var reauthenticate = null
# Callable (Godot 3: FuncRef) called with one String per log line (default: none).
var log_func = null
# Callable (Godot 3: FuncRef) from a node name to that node's address, {"host", "port", "scheme"}
# ("http" or "https"), or null when unknown. Told the match runs on another node, the client
# connects to it there. Without one it retries where it is until the match's lease runs out.
var node_resolver = null
var heartbeat_ms := 5000
var connect_timeout_sec := 5
var join_timeout_ms := 10000
var manual_give_up_ms := 300000
var refresh_margin_sec := 30
var backoff_base_ms := 250
var backoff_max_ms := 5000
var appear_online := false
# Added to the clock, ms: how a test makes the login expire.
var clock_offset_ms := 0

var state := IDLE
var match_id := ""
var seat := -1
var last_snapshot = null

var _socket = null
var _pending = PendingActions.new()
var _seq = SequenceTracker.new()
var _waiter = null
var _waiter_socket = null
var _force_auth := false
# The match handed over to another copy: the next attempt asks session_resume where it went.
var _resume_first := false
# Bumped by close() and every new join: work started before it is stale and stops.
var _generation := 0


func _init(p_client, p_session, p_store = null):
	client = p_client
	socket_client = p_client
	session = p_session
	store = p_store if p_store != null else MemoryTokenStore.new()


# ---- joining -------------------------------------------------------------------------------

# Joins a match; resolves with its SNAPSHOT (a Dictionary) or a String saying why not. With a
# ticket for this match in the store it is a rejoin with the stored token; a refused token falls
# back to session_resume.
func join_match(p_match_id: String):
	yield(_tree(), "idle_frame")
	if not _idle():
		return "busy"
	_begin(p_match_id)
	var r = yield(_enter(p_match_id, _stored_token(p_match_id)), "completed")
	if typeof(r) == TYPE_STRING and r == "token_invalid":
		var out = yield(_resume_and_enter(), "completed")
		if typeof(out) == TYPE_DICTIONARY and out.get("status") == Protocol.RESUME_STATUS_ACTIVE:
			return out["snapshot"]
	if typeof(r) == TYPE_STRING:
		_abandon()
	return r


# A match of `mode` with a free seat (RPC match_find), joined.
func find_match(mode: String):
	yield(_tree(), "idle_frame")
	if not _idle():
		return "busy"
	var r = yield(_rpc(Protocol.RPC_MATCH_FIND, {"mode": mode}), "completed")
	if not r["ok"]:
		return r["message"]
	return yield(join_match(r["body"]["matchId"]), "completed")


# Asks session_resume where the player stands (at start-up, or whenever the game does not know)
# and takes back the seat it holds. Resolves with {"status": "active", "snapshot"}, {"status":
# "none"}, {"status": "ended", "matchId", "reason", "result"}, {"status": "elsewhere", ...} or a
# String saying why it could not ask.
func resume():
	yield(_tree(), "idle_frame")
	if not _idle():
		return "busy"
	_generation += 1
	state = JOINING
	match_id = ""
	var out = yield(_resume_and_enter(), "completed")
	if typeof(out) == TYPE_STRING:
		_abandon()
	elif out["status"] != Protocol.RESUME_STATUS_ACTIVE:
		state = IDLE
	return out


# ---- playing -------------------------------------------------------------------------------

# Sends an action and returns its actionSeq. It is kept until ACKed and, after a reconnect,
# resent if the SNAPSHOT shows it was not processed; so it is applied at most once.
func send_action(body: Dictionary) -> int:
	if match_id == "" or state == IDLE or state == CLOSED:
		push_error("NakamaRejoinClient.send_action: not in a match")
		return -1
	var a = _pending.add(body)
	_save_ticket()
	if state == LIVE:
		_send(Protocol.OP_ACTION, PendingActions.message(a))
	return a["actionSeq"]


# actionSeqs sent but not yet acknowledged, in order.
func unacknowledged() -> Array:
	return _pending.waiting()


# Asks for a fresh SNAPSHOT (the client also does this by itself on a sequence gap).
func resync() -> void:
	if state == LIVE:
		_send(Protocol.OP_RESYNC, {})


# Leaves for good: the seat is freed at once and the stored ticket forgotten.
func quit():
	yield(_tree(), "idle_frame")
	var socket = _socket
	var id = match_id
	if socket != null and id != "" and state == LIVE:
		_send(Protocol.OP_QUIT, {})
		var waiter = Waiter.new()
		_after(1.0, waiter, null)
		_keep(_leave(socket, id, waiter))
		if not waiter.finished:
			yield(waiter, "done")
	# (While disconnected nothing can be sent: the seat is then freed when its grace window ends.)
	if id != "":
		store.clear(id)
	close()


# Stops without leaving: the seat stays reserved for its grace window (rejoin later).
func close() -> void:
	_generation += 1
	state = CLOSED
	var socket = _socket
	_socket = null
	if socket != null:
		_kill(socket)
	_fail_waiter("closed", null)


# ---- connection ----------------------------------------------------------------------------

func _idle() -> bool:
	return state == IDLE or state == CLOSED


func _begin(p_match_id: String) -> void:
	_generation += 1
	state = JOINING
	_adopt(p_match_id, false)


# Makes p_match_id the current match; `carry` keeps pending actions (same seat, new match id).
func _adopt(p_match_id: String, carry: bool) -> void:
	var ticket = store.get_ticket(p_match_id)
	var old = match_id
	if carry and old != "" and old != p_match_id:
		var old_ticket = store.get_ticket(old)
		store.clear(old)
		_pending.raise_next(int(max(_next_of(ticket), _next_of(old_ticket))))
	elif not carry:
		_pending = PendingActions.new(_next_of(ticket))
		last_snapshot = null
		seat = -1
	match_id = p_match_id
	_seq = SequenceTracker.new()
	_save_ticket(true, ticket["token"] if ticket != null else null)


func _next_of(ticket) -> int:
	return int(ticket["nextActionSeq"]) if ticket != null else 1


func _stored_token(id: String):
	var t = store.get_ticket(id)
	return t["token"] if t != null else null


func _abandon() -> void:
	if state == JOINING:
		state = IDLE
	var socket = _socket
	_socket = null
	if socket != null:
		_kill(socket)


# One connection: a fresh login if needed, a new socket, the join, its SNAPSHOT. Resolves with
# the SNAPSHOT or a String: the reject reason, or what failed.
func _enter(p_match_id: String, token):
	var socket = yield(_open_socket(), "completed")
	if typeof(socket) == TYPE_STRING:
		return socket
	var waiter = Waiter.new()
	_waiter = waiter
	_waiter_socket = socket
	_after(join_timeout_ms / 1000.0, waiter, "join_timeout")
	_keep(_join(socket, p_match_id, token, waiter))
	if not waiter.finished:
		yield(waiter, "done")
	if typeof(waiter.value) == TYPE_STRING:
		if _waiter == waiter:
			_waiter = null
		if _socket == socket:
			_socket = null
		_kill(socket)
	return waiter.value


func _join(socket, p_match_id: String, token, waiter) -> void:
	var metadata = {"token": token} if token != null else null
	var m = yield(socket.join_match_async(p_match_id, metadata), "completed")
	if m.is_exception():
		# A refusal is the server's error: its message is the rejectMessage.
		var why = m.get_exception().message
		waiter.finish("match_not_found" if why == "Match not found" else why)


func _leave(socket, id: String, waiter) -> void:
	yield(socket.leave_match_async(id), "completed")
	waiter.finish(null)


func _open_socket():
	var generation = _generation
	var failed = yield(_ensure_session(), "completed")
	if failed != "":
		return failed
	var socket = _nakama().create_socket_from(socket_client)
	socket.connect("received_match_state", self, "_on_state", [socket])
	socket.connect("closed", self, "_on_closed", [socket])
	var previous = _socket
	_socket = socket
	if previous != null:
		_kill(previous)
	# Our own timer ends the wait too: nakama-godot 3.4 never answers a connect refused before its
	# first poll (a server down, a partition).
	var waiter = Waiter.new()
	_after(connect_timeout_sec + 1, waiter, null)
	_keep(_connect(socket, waiter))
	if not waiter.finished:
		yield(waiter, "done")
	var r = waiter.value
	if r == null or r.is_exception():
		if _socket == socket:
			_socket = null
		_kill(socket)
		return "connect_failed"
	if _generation != generation:
		# close() or a new join happened meanwhile: this socket belongs to nothing.
		if _socket == socket:
			_socket = null
		_kill(socket)
		return "closed"
	_keep(_heartbeat(socket))
	return socket


func _connect(socket, waiter) -> void:
	var r = yield(socket.connect_async(session, appear_online, connect_timeout_sec), "completed")
	waiter.finish(r if r is Object else null)


# A black-holed link never closes: every heartbeat_ms the client makes a round trip that changes
# nothing (following no users) and takes a missing answer for a drop.
func _heartbeat(socket) -> void:
	while socket == _socket:
		yield(_tree().create_timer(heartbeat_ms / 1000.0), "timeout")
		if socket != _socket:
			return
		var waiter = Waiter.new()
		_after(heartbeat_ms / 1000.0, waiter, false)
		_keep(_ping(socket, waiter))
		if not waiter.finished:
			yield(waiter, "done")
		if socket != _socket:
			return
		if not waiter.value:
			_gone(socket, "heartbeat_timeout")
			return


func _ping(socket, waiter) -> void:
	yield(GodotApi.ping(socket), "completed")
	# Any answer, even a refusal, proves the link is alive; a closed socket reports itself.
	waiter.finish(true)


# Closes a socket for good, also one black-holed: its close is not waited for.
func _kill(socket) -> void:
	if socket.is_connected("received_match_state", self, "_on_state"):
		socket.disconnect("received_match_state", self, "_on_state")
	if socket.is_connected("closed", self, "_on_closed"):
		socket.disconnect("closed", self, "_on_closed")
	socket.close()


func _on_closed(socket) -> void:
	_gone(socket, "closed")


func _gone(socket, why: String) -> void:
	if socket != _socket:
		return
	_socket = null
	_kill(socket)
	_fail_waiter(why, socket)
	if state == LIVE:
		_keep(_reconnect(why))


func _fail_waiter(why: String, socket) -> void:
	var w = _waiter
	if w == null or (socket != null and _waiter_socket != socket):
		return
	_waiter = null
	w.finish(why)


func _send(op: int, body: Dictionary) -> void:
	if _socket == null or match_id == "":
		return
	# A String goes out as UTF-8, as the protocol asks.
	_socket.send_match_state_async(match_id, op, to_json(body))


func _save_ticket(set_token: bool = false, token = null) -> void:
	if match_id == "":
		return
	if not set_token:
		token = _stored_token(match_id)
	store.set_ticket({"matchId": match_id, "token": token, "nextActionSeq": _pending.next_seq})


# ---- messages ------------------------------------------------------------------------------

func _on_state(m, socket) -> void:
	if socket != _socket:
		return
	var parsed = parse_json(m.data)
	if typeof(parsed) != TYPE_DICTIONARY:
		return
	var body: Dictionary = parsed
	var op = int(m.op_code)
	if op == Protocol.OP_SNAPSHOT:
		_on_snapshot(body)
	elif op == Protocol.OP_SEAT or op == Protocol.OP_EVENT:
		# Until this connection has its SNAPSHOT, the SNAPSHOT will hold these.
		if state != LIVE or not body.has("seq"):
			return
		var verdict = _seq.broadcast(int(body["seq"]))
		if verdict == SequenceTracker.GAP:
			if _seq.should_resync():
				_log("sequence gap; asking for a snapshot matchId=%s after=%d got=%d" % [match_id, _seq.current, int(body["seq"])])
				_send(Protocol.OP_RESYNC, {})
			return
		if verdict == SequenceTracker.STALE:
			return
		emit_signal("seat_changed" if op == Protocol.OP_SEAT else "game_event", body)
	elif op == Protocol.OP_END:
		# Terminal whatever its seq: nothing comes after it.
		if body.get("reason") == Protocol.END_REASON_MOVED and _socket != null:
			# Not an end of the game: another copy of the match took over. Find it and rejoin.
			_resume_first = true
			_gone(_socket, "match_moved")
			return
		if body.get("reason") == Protocol.END_REASON_TAKEN_OVER:
			# Another device of this player took the seat: rejoining would take it back and the
			# two would fight for it forever. The match goes on there.
			_finish(true, match_id, Protocol.END_REASON_TAKEN_OVER, null)
			return
		_finish(false, match_id, str(body.get("reason")), body.get("result"))
	elif op == Protocol.OP_ACK:
		if body.has("actionSeq"):
			_pending.ack(int(body["actionSeq"]))
		emit_signal("ack", body)
	elif op == Protocol.OP_ERROR:
		emit_signal("error", body)
		# Another connection of this player took the seat over: do not fight it for the seat.
		if body.get("code") == Protocol.MESSAGE_ERROR_NOT_SEATED and state == LIVE:
			_finish(true, match_id, Protocol.END_REASON_TAKEN_OVER, null)


# The reason an RPC error message starts with ("reason: detail"), or "" when it has none: one of
# the RPC_ERROR_REASON_* constants of protocol.gd, or a reason newer than this addon.
static func rpc_error_reason(message: String) -> String:
	var colon = message.find(":")
	if colon <= 0:
		return ""
	var head = message.substr(0, colon)
	for c in head:
		if not (c == "_" or (c >= "a" and c <= "z")):
			return ""
	return head


func _on_snapshot(s: Dictionary) -> void:
	if not s.has("seq") or not s.has("lastActionSeq") or typeof(s.get("you")) != TYPE_DICTIONARY:
		return
	var first = state != LIVE
	last_snapshot = s
	seat = int(s["you"]["seat"])
	_seq.snapshot(int(s["seq"]))
	var resend = _pending.after_snapshot(int(s["lastActionSeq"]))
	var token = s.get("token")
	_save_ticket(typeof(token) == TYPE_STRING and token != "", token)
	if first:
		state = LIVE
		# On a new connection: exactly the actions the server has not processed, in order. (On a
		# RESYNC over the same connection, actions in flight are still on their way: no resend.)
		for a in resend:
			_send(Protocol.OP_ACTION, PendingActions.message(a))
		if resend.size() > 0:
			_log("resent actions matchId=%s count=%d from=%d" % [match_id, resend.size(), resend[0]["actionSeq"]])
	emit_signal("snapshot_received", s)
	var was_resumed = bool(s.get("resumed"))
	if first:
		_log("%s matchId=%s seat=%d" % ["resumed seat" if was_resumed else "joined", match_id, seat])
		if was_resumed:
			emit_signal("resumed", match_id, seat, s)
		emit_signal("connected", match_id, seat, was_resumed)
	var w = _waiter
	if w != null and _waiter_socket == _socket:
		_waiter = null
		w.finish(s)


func _finish(lost: bool, id: String, reason: String, result) -> void:
	if state == CLOSED:
		return
	if match_id != "":
		store.clear(match_id)
	close()
	_log("%s matchId=%s reason=%s" % ["seat lost" if lost else "match ended", id, reason])
	if lost:
		emit_signal("seat_lost", id, reason)
	else:
		emit_signal("ended", id, reason, result)


# ---- reconnecting --------------------------------------------------------------------------

func _reconnect(why: String) -> void:
	yield(_tree(), "idle_frame")
	state = RECONNECTING
	var generation = _generation
	var snap: Dictionary = last_snapshot
	var noticed = _now_ms()
	var deadline = Backoff.give_up_at(noticed, snap.get("graceTicks"), snap.get("tickRate"), manual_give_up_ms)
	_log("connection lost; reconnecting matchId=%s reason=%s msLeft=%d" % [match_id, why, deadline - noticed])
	var attempt = 1
	while true:
		if state != RECONNECTING or _generation != generation:
			return
		var delay = Backoff.next_delay(attempt - 1, _now_ms(), deadline, backoff_base_ms, backoff_max_ms, randf())
		if delay < 0:
			yield(_last_chance(), "completed")
			return
		emit_signal("reconnecting", match_id, attempt, int(max(0, deadline - _now_ms())), why)
		yield(_tree().create_timer(max(delay, 1) / 1000.0), "timeout")
		if state != RECONNECTING or _generation != generation:
			return
		var done = yield(_attempt(attempt), "completed")
		if done:
			return
		attempt += 1


# One rejoin: true when back in, or when the seat's fate is known and reported.
func _attempt(n: int):
	yield(_tree(), "idle_frame")
	var id = match_id
	var token = _stored_token(id)
	if token == null:
		return yield(_via_resume("token_missing"), "completed")
	if _resume_first:
		return yield(_via_resume("match_moved"), "completed")
	var r = yield(_enter(id, token), "completed")
	if typeof(r) != TYPE_STRING:
		return true
	_log("rejoin attempt failed matchId=%s attempt=%d reason=%s" % [id, n, r])
	if state != RECONNECTING:
		return true
	if r == "session_expired" or r in FINAL:
		return _lost(r)
	if r in ASK_RESUME:
		return yield(_via_resume(r), "completed")
	# The network, a timeout, rate_limited, server_stopping: the seat is kept. Next attempt.
	return false


func _lost(reason: String) -> bool:
	_finish(true, match_id, reason, null)
	return true


# The local deadline passed: the server noticed the drop later than we did, so ask it once.
func _last_chance():
	if yield(_via_resume("grace_expired"), "completed"):
		return
	if state == RECONNECTING:
		_lost("grace_expired")


# Asks session_resume and acts on it: rejoin the seat it reports, or report the seat's fate.
# True when done, false to try again.
func _via_resume(why: String):
	var r = yield(_rpc(Protocol.RPC_SESSION_RESUME, {}), "completed")
	if state == CLOSED:
		return true
	if not r["ok"]:
		_log("session_resume failed matchId=%s reason=%s" % [match_id, r["message"]])
		return false
	var body: Dictionary = r["body"]
	var status = body.get("status")
	var id = str(body.get("matchId", ""))
	if status == Protocol.RESUME_STATUS_ELSEWHERE:
		if _follow_to_node(str(body.get("node", ""))):
			# Asked there, session_resume answers with the seat and a fresh token.
			return yield(_via_resume(why), "completed")
		# Alive on another node: retried within the grace window; if that node is dead, the match
		# is restored here once its lease runs out.
		_log("match runs on another node matchId=%s node=%s" % [id, str(body.get("node"))])
		return false
	if status == Protocol.RESUME_STATUS_ACTIVE:
		_resume_first = false
		var known = _stored_token(id)
		if known == null and id != match_id and match_id != "":
			known = _stored_token(match_id)
		var token = body.get("token") if typeof(body.get("token")) == TYPE_STRING else known
		# A new match id after a server restart is the same seat, restored: actions carry over.
		_adopt(id, true)
		_save_ticket(true, token)
		if token == null:
			return _lost("token_missing")
		var entered = yield(_enter(id, token), "completed")
		if typeof(entered) != TYPE_STRING:
			return true
		_log("rejoin after session_resume failed matchId=%s reason=%s" % [id, entered])
		if entered in FINAL:
			return _lost(entered)
		return false
	if status == Protocol.RESUME_STATUS_ENDED:
		_finish(false, id, str(body.get("reason")), body.get("result"))
		return true
	return _lost(why if why == "seat_lost" or why == "grace_expired" else "no_seat")


# session_resume outside the reconnect loop (start-up, refused first join).
func _resume_and_enter():
	var r = yield(_rpc(Protocol.RPC_SESSION_RESUME, {}), "completed")
	if not r["ok"]:
		return r["message"]
	var body: Dictionary = r["body"]
	var status = body.get("status")
	var id = str(body.get("matchId", ""))
	if status == Protocol.RESUME_STATUS_ACTIVE:
		var token = body.get("token") if typeof(body.get("token")) == TYPE_STRING else _stored_token(id)
		if match_id != id:
			_adopt(id, false)
		_save_ticket(true, token)
		if token == null:
			return "token_invalid"
		var snap = yield(_enter(id, token), "completed")
		if typeof(snap) == TYPE_STRING:
			return snap
		return {"status": "active", "matchId": id, "snapshot": snap}
	if status == Protocol.RESUME_STATUS_ENDED:
		store.clear(id)
		emit_signal("ended", id, str(body.get("reason")), body.get("result"))
		return {"status": "ended", "matchId": id, "reason": body.get("reason"), "result": body.get("result")}
	if status == Protocol.RESUME_STATUS_ELSEWHERE:
		if _follow_to_node(str(body.get("node", ""))):
			return yield(_resume_and_enter(), "completed")
		return {"status": "elsewhere", "matchId": id, "node": body.get("node")}
	return {"status": "none"}


# Points the client (RPCs and sockets) at `node` when node_resolver knows its address and it is
# not where the client is already. The login stays valid: every node shares the server key.
func _follow_to_node(node: String) -> bool:
	if node_resolver == null or node == "":
		return false
	var addr = node_resolver.call_func(node)
	if typeof(addr) != TYPE_DICTIONARY or not addr.has("host"):
		return false
	var host = str(addr["host"])
	var port = int(addr.get("port", client.port))
	var scheme = str(addr.get("scheme", client.scheme))
	if host == socket_client.host and port == socket_client.port and scheme == socket_client.scheme:
		return false
	# create_client sets the SDK's one log level: keep the level the game chose (above DEBUG).
	var nakama = _nakama()
	var there = nakama.create_client(client.server_key, host, port, scheme, client.timeout, nakama.logger._level)
	client = there
	socket_client = there
	_log("following the match to node=%s" % node)
	return true


# ---- login ---------------------------------------------------------------------------------

# Before any connect or RPC: a login that is valid for a while yet. Resolves with "" or why not.
func _ensure_session():
	yield(_tree(), "idle_frame")
	var force = _force_auth
	var now_sec = _now_ms() / 1000
	if not force and session.expire_time > now_sec + refresh_margin_sec:
		return ""
	# Try the refresh token while it has not expired by our clock; the server has the last word.
	if session.refresh_token != "" and session.refresh_expire_time > now_sec:
		var s = yield(client.session_refresh_async(session), "completed")
		if not s.is_exception():
			session = s
			_force_auth = false
			_log("session refreshed userId=%s" % session.user_id)
			return ""
		var code = s.get_exception().status_code
		if code < 400 or code >= 500:
			return "network"  # fail this attempt, try again later
	if reauthenticate == null:
		return "session_expired"
	var again = reauthenticate.call_func()
	if again is GDScriptFunctionState:
		again = yield(again, "completed")
	if again == null or again.is_exception():
		return "session_expired"
	session = again
	_force_auth = false
	_log("signed in again userId=%s" % session.user_id)
	return ""


# An RPC with a valid login; one retry after a 401. Resolves with {"ok": true, "body": Dictionary}
# or {"ok": false, "status_code", "grpc_status_code", "message"}.
func _rpc(id: String, payload: Dictionary):
	var failed = yield(_ensure_session(), "completed")
	if failed != "":
		return {"ok": false, "status_code": -1, "grpc_status_code": -1, "message": failed}
	var r = yield(client.rpc_async(session, id, to_json(payload)), "completed")
	if r.is_exception() and r.get_exception().status_code == 401:
		_force_auth = true
		failed = yield(_ensure_session(), "completed")
		if failed != "":
			return {"ok": false, "status_code": 401, "grpc_status_code": 16, "message": failed}
		r = yield(client.rpc_async(session, id, to_json(payload)), "completed")
	if r.is_exception():
		var e = r.get_exception()
		return {"ok": false, "status_code": e.status_code, "grpc_status_code": e.grpc_status_code, "message": e.message}
	var parsed = parse_json(r.payload)
	var body = parsed if typeof(parsed) == TYPE_DICTIONARY else {}
	return {"ok": true, "body": body}


# ---- plumbing ------------------------------------------------------------------------------

# The Nakama autoload that nakama-godot's install adds (looked up when used, so that this script
# also loads where autoloads are not globals, as in a headless run of a script).
func _nakama() -> Node:
	return _tree().root.get_node("Nakama")


func _tree() -> SceneTree:
	return Engine.get_main_loop() as SceneTree


func _now_ms() -> int:
	return GodotApi.now_ms() + clock_offset_ms


# Finishes `waiter` with `value` after `seconds`.
func _after(seconds: float, waiter, value) -> void:
	_tree().create_timer(seconds).connect("timeout", waiter, "finish", [value])


func _log(line: String) -> void:
	if log_func != null:
		log_func.call_func(line)


# Godot 3 frees a running coroutine that nothing holds: fire-and-forget ones are kept here.
var _running := []


func _keep(coroutine) -> void:
	if coroutine is GDScriptFunctionState:
		var alive := []
		for c in _running:
			if c.is_valid():
				alive.append(c)
		alive.append(coroutine)
		_running = alive
