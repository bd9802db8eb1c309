# Godot 4 addon, generated from engines/godot/src/addons/nakama_rejoin/login.gd by `npm run build:godot`: edit that file.
# The player's login: kept valid before every connect and RPC (refreshed with the refresh token,
# or renewed through the game's sign-in), and RPCs with one retry after a 401.
extends RefCounted

const Waiter = preload("waiter.gd")

# NakamaClient for RPCs and session refresh: the game's, or the node's the match was followed to.
var client
# NakamaSession as last refreshed or renewed.
var session
# Callable (Godot 3: FuncRef; it may await or yield) returning a new NakamaSession, or null.
var reauthenticate = null
var refresh_margin_sec := 30
# Prefix of every RPC id (a game that registers the module's RPCs under its own names).
var rpc_prefix := ""
# The server refused the login (a 401): renew it before the next call, whatever its expiry says.
var _force := false
# Callables: the clock in ms, and one log line.
var _now
var _log


func _init(p_client, p_session, p_now, p_log):
	client = p_client
	session = p_session
	_now = p_now
	_log = p_log


# Before any connect or RPC: a login that is valid for a while yet. Resolves with "" or why not:
# "network" (try again later) or "session_expired".
func ensure():
	await Waiter.tree().process_frame
	var now_sec = _now.call() / 1000
	if not _force and session.expire_time > now_sec + refresh_margin_sec:
		return ""
	# Try the refresh token while it has not expired by our clock; the server has the last word.
	if session.refresh_token != "" and session.refresh_expire_time > now_sec:
		var s = await client.session_refresh_async(session)
		if not s.is_exception():
			session = s
			_force = false
			_log.call("session refreshed userId=%s" % session.user_id)
			return ""
		var code = s.get_exception().status_code
		if code < 400 or code >= 500:
			return "network"  # fail this attempt, try again later
	if reauthenticate == null:
		return "session_expired"
	var again = await reauthenticate.call()
	if again == null or again.is_exception():
		return "session_expired"
	session = again
	_force = false
	_log.call("signed in again userId=%s" % session.user_id)
	return ""


# An RPC with a valid login; one retry after a 401. Resolves with {"ok": true, "body": Dictionary}
# or {"ok": false, "status_code", "grpc_status_code", "message"}; a login that could not be renewed
# is a 401 with the message "session_expired".
func rpc(id: String, payload: Dictionary):
	var failed = await ensure()
	if failed != "":
		return _not_signed_in(failed)
	var full_id = rpc_prefix + id
	var r = await client.rpc_async(session, full_id, JSON.stringify(payload))
	if r.is_exception() and r.get_exception().status_code == 401:
		_force = true
		failed = await ensure()
		if failed != "":
			return _not_signed_in(failed)
		r = await client.rpc_async(session, full_id, JSON.stringify(payload))
	return answer_of(r)


static func _not_signed_in(why: String) -> Dictionary:
	if why == "session_expired":
		return {"ok": false, "status_code": 401, "grpc_status_code": 16, "message": why}
	return {"ok": false, "status_code": -1, "grpc_status_code": -1, "message": why}


# An RPC's result from nakama-godot as rpc() resolves.
static func answer_of(r) -> Dictionary:
	if r.is_exception():
		var e = r.get_exception()
		return {"ok": false, "status_code": e.status_code, "grpc_status_code": e.grpc_status_code, "message": e.message}
	var parsed = JSON.parse_string(r.payload)
	return {"ok": true, "body": parsed if typeof(parsed) == TYPE_DICTIONARY else {}}
