# One connection to the server, as the client opens and closes them: a socket with a connect
# timeout, a heartbeat that takes a silent link for a drop, the join of one match, its messages
# decoded (server_message.gd), messages sent, and a close that does not wait for a black-holed
# link. It reports a lost link once and never comes back: the client makes a new one.
extends RefCounted

const GodotApi = preload("godot_api.gd")
const ServerMessage = preload("server_message.gd")
const Waiter = preload("waiter.gd")

# A message of the match (a ServerMessage). Never after close().
signal received(message)
# The link is gone ("closed", "heartbeat_timeout"); the transport has closed itself. Never after close().
signal lost(why)

var _socket
var _heartbeat_ms: int
var _match_id := ""
var _closed := false


# A transport over `socket` (a NakamaSocket not connected yet): open() it.
func _init(p_socket, p_heartbeat_ms: int):
	_socket = p_socket
	_heartbeat_ms = p_heartbeat_ms
	_socket.received_match_state.connect(_on_state)
	_socket.closed.connect(_on_closed)


# Connects with `session`: true when connected; otherwise the transport has closed itself.
func open(session, appear_online: bool, timeout_sec: int):
	await Waiter.tree().process_frame
	# Our own timer ends the wait too: nakama-godot 3.4 never answers a connect refused before its
	# first poll (a server down, a partition).
	var waiter = Waiter.new()
	waiter.finish_after(timeout_sec + 1, null)
	_connect_socket(session, appear_online, timeout_sec, waiter)
	if not waiter.finished:
		await waiter.done
	var r = waiter.value
	if r == null or r.is_exception() or _closed:
		close()
		return false
	_heartbeat()
	return true


func _connect_socket(session, appear_online: bool, timeout_sec: int, waiter) -> void:
	var r = await _socket.connect_async(session, appear_online, timeout_sec)
	waiter.finish(r if r is Object else null)


# Joins `match_id` with a reconnect token (null for a first join): "" once the server accepts
# (its SNAPSHOT comes as a message), else the refusal: the rejectMessage, or "match_not_found".
func join(match_id: String, token):
	await Waiter.tree().process_frame
	_match_id = match_id
	var metadata = {"token": token} if token != null else null
	var m = await _socket.join_match_async(match_id, metadata)
	if not m.is_exception():
		return ""
	# A refusal is the server's error: its message is the rejectMessage.
	var why = m.get_exception().message
	return "match_not_found" if why == "Match not found" else why


# To the joined match; a socket going down drops it (the reconnect resends what matters).
func send(op: int, body: Dictionary) -> void:
	if _closed or _match_id == "":
		return
	_socket.send_match_state_async(_match_id, op, ServerMessage.encode(body))


# Leaves the joined match, waiting at most `timeout_sec` for the server's answer.
func leave(timeout_sec: float):
	await Waiter.tree().process_frame
	if _closed or _match_id == "":
		return
	var waiter = Waiter.new()
	waiter.finish_after(timeout_sec, null)
	_leave(waiter)
	if not waiter.finished:
		await waiter.done


func _leave(waiter) -> void:
	await _socket.leave_match_async(_match_id)
	waiter.finish(null)


# Closes for good, also a black-holed link: its close is not waited for. Nothing is reported after it.
func close() -> void:
	if _closed:
		return
	_closed = true
	if _socket.received_match_state.is_connected(_on_state):
		_socket.received_match_state.disconnect(_on_state)
	if _socket.closed.is_connected(_on_closed):
		_socket.closed.disconnect(_on_closed)
	_socket.close()


# A black-holed link never closes: every heartbeat_ms the transport makes a round trip that
# changes nothing (following no users) and takes a missing answer for a drop.
func _heartbeat() -> void:
	while not _closed:
		await Waiter.tree().create_timer(_heartbeat_ms / 1000.0).timeout
		if _closed:
			return
		var waiter = Waiter.new()
		waiter.finish_after(_heartbeat_ms / 1000.0, false)
		_ping(waiter)
		if not waiter.finished:
			await waiter.done
		if _closed:
			return
		if not waiter.value:
			_lose("heartbeat_timeout")
			return


func _ping(waiter) -> void:
	await GodotApi.ping(_socket)
	# Any answer, even a refusal, proves the link is alive; a closed socket reports itself.
	waiter.finish(true)


func _on_state(m) -> void:
	if _closed:
		return
	var op = int(m.op_code)
	var body = ServerMessage.decode(op, m.data)
	if body != null:
		emit_signal("received", ServerMessage.new(op, body))


func _on_closed() -> void:
	_lose("closed")


func _lose(why: String) -> void:
	if _closed:
		return
	close()
	emit_signal("lost", why)
