# Godot 3 addon, generated from engines/godot/src/addons/nakama_rejoin/rejoin_client.gd by `npm run build:godot`: edit that file.
# A match connection that comes back by itself. On a closed or silent socket it reconnects on a
# new one with jittered backoff inside the seat's grace window, refreshes the login first when it
# has expired (or asks the game to sign in again), rejoins with its latest token (or asks
# session_resume for a fresh one), applies the SNAPSHOT, resends exactly the actions the server
# did not process and asks for RESYNC on a gap in `seq`.
#
# Told that the match runs on another node (session_resume `elsewhere`), it follows it there
# when the game gives a node_resolver (node_route.gd).
#
# This class keeps the state machine and the reconnect policy: each connection is a
# match_transport.gd (socket, heartbeat, join, messages decoded by server_message.gd), and
# login.gd keeps the player signed in for every connect and RPC. Its state is read-only.
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
const Login = preload("login.gd")
const MatchTransport = preload("match_transport.gd")
const NodeRoute = preload("node_route.gd")
const IdempotentRpc = preload("idempotent_rpc.gd")

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

# What the client is doing: IDLE, JOINING, LIVE, RECONNECTING or CLOSED.
var state: int setget _read_only, _get_state
# The match the client is in, joining or rejoining ("" before the first join).
var match_id: String setget _read_only, _get_match_id
# The player's seat, from the last SNAPSHOT (-1 before one).
var seat: int setget _read_only, _get_seat
# The last SNAPSHOT (a Dictionary), or null.
var last_snapshot setget _read_only, _get_last_snapshot
# NakamaSession: the player's login, refreshed or renewed by the client when it expires.
var session setget _read_only, _get_session
# NakamaClient the RPCs and session refreshes go to: the game's, or the node's the match was
# followed to.
var client setget _read_only, _get_client

var socket_client  # NakamaClient whose host and port the sockets use (default: client)
var store  # get_ticket / set_ticket / clear; default MemoryTokenStore
# Callable (Godot 3: FuncRef; it may await or yield) returning a new NakamaSession: called when
# the login cannot be refreshed (the refresh token expired too).
var reauthenticate setget _set_reauthenticate, _get_reauthenticate
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
var refresh_margin_sec: int setget _set_refresh_margin_sec, _get_refresh_margin_sec
# Prefix of every RPC id the client calls (match_find, session_resume, call_idempotent's), for a
# game that registers the module's RPCs under its own names (default none).
var rpc_prefix: String setget _set_rpc_prefix, _get_rpc_prefix
var backoff_base_ms := 250
var backoff_max_ms := 5000
var appear_online := false
# Added to the clock, ms: how a test makes the login expire.
var clock_offset_ms := 0

var _state := IDLE
var _match_id := ""
var _seat := -1
var _last_snapshot = null
var _login
# The connection of the match (a MatchTransport); null between connections.
var _conn = null
var _pending = PendingActions.new()
var _seq = SequenceTracker.new()
var _waiter = null
var _waiter_conn = null
# The match handed over to another copy: the next attempt asks session_resume where it went.
var _resume_first := false
# Bumped by close() and every new join: work started before it is stale and stops.
var _generation := 0


func _init(p_client, p_session, p_store = null):
	_login = Login.new(p_client, p_session, funcref(self, "_now_ms"), funcref(self, "_log"))
	socket_client = p_client
	store = p_store if p_store != null else MemoryTokenStore.new()


func _get_state() -> int:
	return _state


func _get_match_id() -> String:
	return _match_id


func _get_seat() -> int:
	return _seat


func _get_last_snapshot():
	return _last_snapshot


func _get_session():
	return _login.session


func _get_client():
	return _login.client


func _get_reauthenticate():
	return _login.reauthenticate


func _set_reauthenticate(f) -> void:
	_login.reauthenticate = f


func _get_refresh_margin_sec() -> int:
	return _login.refresh_margin_sec


func _set_refresh_margin_sec(sec: int) -> void:
	_login.refresh_margin_sec = sec


func _get_rpc_prefix() -> String:
	return _login.rpc_prefix


func _set_rpc_prefix(prefix: String) -> void:
	_login.rpc_prefix = prefix


func _read_only(_value) -> void:
	push_error("NakamaRejoinClient: state, match_id, seat, last_snapshot, session and client are read-only")


# ---- joining -------------------------------------------------------------------------------

# Joins a match; resolves with its SNAPSHOT (a Dictionary) or a String saying why not. With a
# ticket for this match in the store it is a rejoin with the stored token; a refused token falls
# back to session_resume.
func join_match(p_match_id: String):
	yield(Waiter.tree(), "idle_frame")
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
	yield(Waiter.tree(), "idle_frame")
	if not _idle():
		return "busy"
	var r = yield(_login.rpc(Protocol.RPC_MATCH_FIND, {"mode": mode}), "completed")
	if not r["ok"]:
		return r["message"]
	return yield(join_match(r["body"]["matchId"]), "completed")


# Asks session_resume where the player stands (at start-up, or whenever the game does not know)
# and takes back the seat it holds. Resolves with {"status": "active", "snapshot"}, {"status":
# "none"}, {"status": "ended", "matchId", "reason", "result"}, {"status": "elsewhere", ...} or a
# String saying why it could not ask.
func resume():
	yield(Waiter.tree(), "idle_frame")
	if not _idle():
		return "busy"
	_generation += 1
	_state = JOINING
	_match_id = ""
	var out = yield(_resume_and_enter(), "completed")
	if typeof(out) == TYPE_STRING:
		_abandon()
	elif out["status"] != Protocol.RESUME_STATUS_ACTIVE:
		_state = IDLE
	return out


# ---- playing -------------------------------------------------------------------------------

# Sends an action and returns its actionSeq. It is kept until ACKed and, after a reconnect,
# resent if the SNAPSHOT shows it was not processed; so it is applied at most once.
func send_action(body: Dictionary) -> int:
	if _match_id == "" or _state == IDLE or _state == CLOSED:
		push_error("NakamaRejoinClient.send_action: not in a match")
		return -1
	var a = _pending.add(body)
	_save_ticket()
	if _state == LIVE:
		_send(Protocol.OP_ACTION, PendingActions.message(a))
	return a["actionSeq"]


# actionSeqs sent but not yet acknowledged, in order.
func unacknowledged() -> Array:
	return _pending.waiting()


# Asks for a fresh SNAPSHOT (the client also does this by itself on a sequence gap).
func resync() -> void:
	if _state == LIVE:
		_send(Protocol.OP_RESYNC, {})


# A mutating RPC exactly once (as NakamaRejoinIdempotentRpc.call_rpc: one idempotencyKey for every
# retry), through this client's login: refreshed before it expires, renewed after a 401. Resolves
# as call_rpc does.
func call_idempotent(rpc_id: String, payload: Dictionary, key: String = "", attempts: int = 8, base_ms: int = 250, max_ms: int = 5000):
	return yield(IdempotentRpc.retry(_login, rpc_id, payload, key, attempts, base_ms, max_ms), "completed")


# Leaves for good: the seat is freed at once and the stored ticket forgotten.
func quit():
	yield(Waiter.tree(), "idle_frame")
	var conn = _conn
	var id = _match_id
	if conn != null and id != "" and _state == LIVE:
		conn.send(Protocol.OP_QUIT, {})
		yield(conn.leave(1.0), "completed")
	# (While disconnected nothing can be sent: the seat is then freed when its grace window ends.)
	if id != "":
		store.clear(id)
	close()


# Stops without leaving: the seat stays reserved for its grace window (rejoin later).
func close() -> void:
	_generation += 1
	_state = CLOSED
	_drop()
	_fail_waiter("closed", null)


# ---- connection ----------------------------------------------------------------------------

func _idle() -> bool:
	return _state == IDLE or _state == CLOSED


func _begin(p_match_id: String) -> void:
	_generation += 1
	_state = JOINING
	_adopt(p_match_id, false)


# Makes p_match_id the current match; `carry` keeps pending actions (same seat, new match id).
func _adopt(p_match_id: String, carry: bool) -> void:
	var ticket = store.get_ticket(p_match_id)
	var old = _match_id
	if carry and old != "" and old != p_match_id:
		var old_ticket = store.get_ticket(old)
		store.clear(old)
		_pending.raise_next(int(max(_next_of(ticket), _next_of(old_ticket))))
	elif not carry:
		_pending = PendingActions.new(_next_of(ticket))
		_last_snapshot = null
		_seat = -1
	_match_id = p_match_id
	_seq = SequenceTracker.new()
	_save_ticket(true, ticket["token"] if ticket != null else null)


func _next_of(ticket) -> int:
	return int(ticket["nextActionSeq"]) if ticket != null else 1


func _stored_token(id: String):
	var t = store.get_ticket(id)
	return t["token"] if t != null else null


func _abandon() -> void:
	if _state == JOINING:
		_state = IDLE
	_drop()


# Closes the current connection, if any.
func _drop() -> void:
	var conn = _conn
	_conn = null
	if conn != null:
		conn.close()


# One connection: a fresh login if needed, a new socket, the join, its SNAPSHOT. Resolves with
# the SNAPSHOT or a String: the reject reason, or what failed.
func _enter(p_match_id: String, token):
	var conn = yield(_open_connection(), "completed")
	if typeof(conn) == TYPE_STRING:
		return conn
	var waiter = Waiter.new()
	_waiter = waiter
	_waiter_conn = conn
	waiter.finish_after(join_timeout_ms / 1000.0, "join_timeout")
	_keep(_join(conn, p_match_id, token, waiter))
	if not waiter.finished:
		yield(waiter, "done")
	if typeof(waiter.value) == TYPE_STRING:
		if _waiter == waiter:
			_waiter = null
		if _conn == conn:
			_conn = null
		conn.close()
	return waiter.value


# A refusal ends the wait for the SNAPSHOT; an accepted join goes on waiting for it.
func _join(conn, p_match_id: String, token, waiter) -> void:
	var refused = yield(conn.join(p_match_id, token), "completed")
	if refused != "":
		waiter.finish(refused)


# A new connection, made the current one (the previous one is closed), connected with a valid
# login. Resolves with the MatchTransport or a String saying why not.
func _open_connection():
	var generation = _generation
	var failed = yield(_login.ensure(), "completed")
	if failed != "":
		return failed
	var conn = MatchTransport.new(_nakama().create_socket_from(socket_client), heartbeat_ms)
	conn.connect("received", self, "_on_message", [conn])
	conn.connect("lost", self, "_gone", [conn])
	var previous = _conn
	_conn = conn
	if previous != null:
		previous.close()
	if not yield(conn.open(_login.session, appear_online, connect_timeout_sec), "completed"):
		if _conn == conn:
			_conn = null
		return "connect_failed"
	if _generation != generation:
		# close() or a new join happened meanwhile: this connection belongs to nothing.
		if _conn == conn:
			_conn = null
		conn.close()
		return "closed"
	return conn


# The connection is gone (`conn` closed itself, or the match moved): reconnect if it was live.
func _gone(why: String, conn) -> void:
	if conn != _conn:
		return
	_conn = null
	conn.close()
	_fail_waiter(why, conn)
	if _state == LIVE:
		_keep(_reconnect(why))


func _fail_waiter(why: String, conn) -> void:
	var w = _waiter
	if w == null or (conn != null and _waiter_conn != conn):
		return
	_waiter = null
	w.finish(why)


# To the match over the current connection; between connections nothing is sent (the reconnect
# resends what matters).
func _send(op: int, body: Dictionary) -> void:
	if _conn != null:
		_conn.send(op, body)


func _save_ticket(set_token: bool = false, token = null) -> void:
	if _match_id == "":
		return
	if not set_token:
		token = _stored_token(_match_id)
	store.set_ticket({"matchId": _match_id, "token": token, "nextActionSeq": _pending.next_seq})


# ---- messages ------------------------------------------------------------------------------

func _on_message(m, conn) -> void:
	if conn != _conn:
		return
	var body: Dictionary = m.body
	if m.op == Protocol.OP_SNAPSHOT:
		_on_snapshot(body)
	elif m.op == Protocol.OP_SEAT or m.op == Protocol.OP_EVENT:
		# Until this connection has its SNAPSHOT, the SNAPSHOT will hold these.
		if _state != LIVE:
			return
		var verdict = _seq.broadcast(m.seq())
		if verdict == SequenceTracker.GAP:
			if _seq.should_resync():
				_log("sequence gap; asking for a snapshot matchId=%s after=%d got=%d" % [_match_id, _seq.current, m.seq()])
				_send(Protocol.OP_RESYNC, {})
			return
		if verdict == SequenceTracker.STALE:
			return
		emit_signal("seat_changed" if m.op == Protocol.OP_SEAT else "game_event", body)
	elif m.op == Protocol.OP_END:
		# Terminal whatever its seq: nothing comes after it.
		if m.reason() == Protocol.END_REASON_MOVED:
			# Not an end of the game: another copy of the match took over. Find it and rejoin.
			_resume_first = true
			_gone("match_moved", conn)
			return
		if m.reason() == Protocol.END_REASON_TAKEN_OVER:
			# Another device of this player took the seat: rejoining would take it back and the
			# two would fight for it forever. The match goes on there.
			_finish(true, _match_id, Protocol.END_REASON_TAKEN_OVER, null)
			return
		_finish(false, _match_id, m.reason(), body.get("result"))
	elif m.op == Protocol.OP_ACK:
		if m.action_seq() >= 0:
			_pending.ack(m.action_seq())
		emit_signal("ack", body)
	elif m.op == Protocol.OP_ERROR:
		emit_signal("error", body)
		# Another connection of this player took the seat over: do not fight it for the seat.
		if m.code() == Protocol.MESSAGE_ERROR_NOT_SEATED and _state == LIVE:
			_finish(true, _match_id, Protocol.END_REASON_TAKEN_OVER, null)


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
	var first = _state != LIVE
	_last_snapshot = s
	_seat = int(s["you"]["seat"])
	_seq.snapshot(int(s["seq"]))
	var resend = _pending.after_snapshot(int(s["lastActionSeq"]))
	var token = s.get("token")
	_save_ticket(typeof(token) == TYPE_STRING and token != "", token)
	if first:
		_state = LIVE
		# On a new connection: exactly the actions the server has not processed, in order. (On a
		# RESYNC over the same connection, actions in flight are still on their way: no resend.)
		for a in resend:
			_send(Protocol.OP_ACTION, PendingActions.message(a))
		if resend.size() > 0:
			_log("resent actions matchId=%s count=%d from=%d" % [_match_id, resend.size(), resend[0]["actionSeq"]])
	emit_signal("snapshot_received", s)
	var was_resumed = bool(s.get("resumed"))
	if first:
		_log("%s matchId=%s seat=%d" % ["resumed seat" if was_resumed else "joined", _match_id, _seat])
		if was_resumed:
			emit_signal("resumed", _match_id, _seat, s)
		emit_signal("connected", _match_id, _seat, was_resumed)
	var w = _waiter
	if w != null and _waiter_conn == _conn:
		_waiter = null
		w.finish(s)


func _finish(lost: bool, id: String, reason: String, result) -> void:
	if _state == CLOSED:
		return
	if _match_id != "":
		store.clear(_match_id)
	close()
	_log("%s matchId=%s reason=%s" % ["seat lost" if lost else "match ended", id, reason])
	if lost:
		emit_signal("seat_lost", id, reason)
	else:
		emit_signal("ended", id, reason, result)


# ---- reconnecting --------------------------------------------------------------------------

func _reconnect(why: String) -> void:
	yield(Waiter.tree(), "idle_frame")
	_state = RECONNECTING
	var generation = _generation
	var snap: Dictionary = _last_snapshot
	var noticed = _now_ms()
	var deadline = Backoff.give_up_at(noticed, snap.get("graceTicks"), snap.get("tickRate"), manual_give_up_ms)
	_log("connection lost; reconnecting matchId=%s reason=%s msLeft=%d" % [_match_id, why, deadline - noticed])
	var attempt = 1
	while true:
		if _state != RECONNECTING or _generation != generation:
			return
		var delay = Backoff.next_delay(attempt - 1, _now_ms(), deadline, backoff_base_ms, backoff_max_ms, randf())
		if delay < 0:
			yield(_last_chance(), "completed")
			return
		emit_signal("reconnecting", _match_id, attempt, int(max(0, deadline - _now_ms())), why)
		yield(Waiter.tree().create_timer(max(delay, 1) / 1000.0), "timeout")
		if _state != RECONNECTING or _generation != generation:
			return
		var done = yield(_attempt(attempt), "completed")
		if done:
			return
		attempt += 1


# One rejoin: true when back in, or when the seat's fate is known and reported.
func _attempt(n: int):
	yield(Waiter.tree(), "idle_frame")
	var id = _match_id
	var token = _stored_token(id)
	if token == null:
		return yield(_via_resume("token_missing"), "completed")
	if _resume_first:
		return yield(_via_resume("match_moved"), "completed")
	var r = yield(_enter(id, token), "completed")
	if typeof(r) != TYPE_STRING:
		return true
	_log("rejoin attempt failed matchId=%s attempt=%d reason=%s" % [id, n, r])
	if _state != RECONNECTING:
		return true
	if r == "session_expired" or r in FINAL:
		return _lost(r)
	if r in ASK_RESUME:
		return yield(_via_resume(r), "completed")
	# The network, a timeout, rate_limited, server_stopping: the seat is kept. Next attempt.
	return false


func _lost(reason: String) -> bool:
	_finish(true, _match_id, reason, null)
	return true


# The local deadline passed: the server noticed the drop later than we did, so ask it once.
func _last_chance():
	if yield(_via_resume("grace_expired"), "completed"):
		return
	if _state == RECONNECTING:
		_lost("grace_expired")


# Asks session_resume and acts on it: rejoin the seat it reports, or report the seat's fate.
# True when done, false to try again.
func _via_resume(why: String):
	var r = yield(_login.rpc(Protocol.RPC_SESSION_RESUME, {}), "completed")
	if _state == CLOSED:
		return true
	if not r["ok"]:
		_log("session_resume failed matchId=%s reason=%s" % [_match_id, r["message"]])
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
		if known == null and id != _match_id and _match_id != "":
			known = _stored_token(_match_id)
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
	var r = yield(_login.rpc(Protocol.RPC_SESSION_RESUME, {}), "completed")
	if not r["ok"]:
		return r["message"]
	var body: Dictionary = r["body"]
	var status = body.get("status")
	var id = str(body.get("matchId", ""))
	if status == Protocol.RESUME_STATUS_ACTIVE:
		var token = body.get("token") if typeof(body.get("token")) == TYPE_STRING else _stored_token(id)
		if _match_id != id:
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
# not where the client is already (node_route.gd).
func _follow_to_node(node: String) -> bool:
	var there = NodeRoute.client_for(node, node_resolver, _login.client, socket_client, _nakama())
	if there == null:
		return false
	_login.client = there
	socket_client = there
	_log("following the match to node=%s" % node)
	return true


# ---- plumbing ------------------------------------------------------------------------------

# The Nakama autoload that nakama-godot's install adds (looked up when used, so that this script
# also loads where autoloads are not globals, as in a headless run of a script).
func _nakama() -> Node:
	return Waiter.tree().root.get_node("Nakama")


func _now_ms() -> int:
	return GodotApi.now_ms() + clock_offset_ms


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
