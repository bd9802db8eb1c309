# Godot 3 addon, generated from engines/godot/src/addons/nakama_rejoin/idempotent_rpc.gd by `npm run build:godot`: edit that file.
# Calls a mutating RPC exactly once from the player's point of view: one
# idempotencyKey per intended operation, reused on every retry after a network error, a timeout,
# an HTTP 5xx or a 409 with gRPC code 10 ABORTED (contention). Any other 4xx answer is final.
#
#     var r = await NakamaRejoinIdempotentRpc.call_rpc(client, session, "shop_purchase", {"itemId": "gem", "quantity": 1})
#
# (Godot 3: yield(NakamaRejoinIdempotentRpc.call_rpc(...), "completed")) resolves with {"ok":
# true, "payload": Dictionary, "idempotencyKey"} or {"ok": false, "status_code",
# "grpc_status_code", "message", "idempotencyKey"}: keep the key until you have an answer, and
# pass it back as `key` after an app restart. NakamaRejoinClient.call_idempotent does the same
# through the client's login (refreshed before it expires, renewed after a 401).
class_name NakamaRejoinIdempotentRpc
extends Reference

const Backoff = preload("backoff.gd")
const Login = preload("login.gd")


# A fresh key: 32 random hex digits. Keys need uniqueness, not secrecy.
static func new_key() -> String:
	return Crypto.new().generate_random_bytes(16).hex_encode()


# Whether a failed call may have landed and is worth retrying with the same key. Without an HTTP
# answer the SDK reports the HTTPRequest result (below 400) as status_code.
static func retriable(status_code: int, grpc_status_code: int) -> bool:
	return status_code < 400 or status_code >= 500 or (status_code == 409 and grpc_status_code == 10)


static func call_rpc(client, session, rpc_id: String, payload: Dictionary, key: String = "", attempts: int = 8, base_ms: int = 250, max_ms: int = 5000):
	return yield(retry(Direct.new(client, session), rpc_id, payload, key, attempts, base_ms, max_ms), "completed")


# The retry loop of call_rpc over `caller`, whose rpc(id, payload) resolves as login.gd's does:
# with a NakamaRejoinClient's login, its call_idempotent.
static func retry(caller, rpc_id: String, payload: Dictionary, key: String, attempts: int, base_ms: int, max_ms: int):
	var tree: SceneTree = Engine.get_main_loop()
	yield(tree, "idle_frame")
	if key == "":
		key = new_key()
	var body = payload.duplicate(true)
	body["idempotencyKey"] = key
	var last = {}
	for attempt in range(attempts):
		var r = yield(caller.rpc(rpc_id, body), "completed")
		if r["ok"]:
			return {"ok": true, "payload": r["body"], "idempotencyKey": key}
		last = r.duplicate()
		last["idempotencyKey"] = key
		if not retriable(r["status_code"], r["grpc_status_code"]):
			return last
		if attempt + 1 < attempts:
			yield(tree.create_timer(max(1, Backoff.jittered_delay(attempt, base_ms, max_ms, randf())) / 1000.0), "timeout")
	return last


# One RPC with the login as given, answering as login.gd's rpc does.
class Direct:
	var client
	var session

	func _init(p_client, p_session):
		client = p_client
		session = p_session

	func rpc(id: String, payload: Dictionary):
		return Login.answer_of(yield(client.rpc_async(session, id, to_json(payload)), "completed"))
