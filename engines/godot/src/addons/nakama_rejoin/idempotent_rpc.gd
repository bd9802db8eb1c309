# Calls a mutating RPC exactly once from the player's point of view: one
# idempotencyKey per intended operation, reused on every retry after a network error, a timeout,
# an HTTP 5xx or a 409 with gRPC code 10 ABORTED (contention). Any other 4xx answer is final.
#
#     var r = await NakamaRejoinIdempotentRpc.call_rpc(client, session, "shop_purchase", {"itemId": "gem", "quantity": 1})
#
# (Godot 3: yield(NakamaRejoinIdempotentRpc.call_rpc(...), "completed")) resolves with {"ok":
# true, "payload": Dictionary, "idempotencyKey"} or {"ok": false, "status_code",
# "grpc_status_code", "message", "idempotencyKey"}: keep the key until you have an answer, and
# pass it back as `key` after an app restart.
class_name NakamaRejoinIdempotentRpc
extends RefCounted

const Backoff = preload("backoff.gd")


# A fresh key: 32 random hex digits. Keys need uniqueness, not secrecy.
static func new_key() -> String:
	return Crypto.new().generate_random_bytes(16).hex_encode()


# Whether a failed call may have landed and is worth retrying with the same key. Without an HTTP
# answer the SDK reports the HTTPRequest result (below 400) as status_code.
static func retriable(status_code: int, grpc_status_code: int) -> bool:
	return status_code < 400 or status_code >= 500 or (status_code == 409 and grpc_status_code == 10)


static func call_rpc(client, session, rpc_id: String, payload: Dictionary, key: String = "", attempts: int = 8, base_ms: int = 250, max_ms: int = 5000):
	var tree: SceneTree = Engine.get_main_loop()
	await tree.process_frame
	if key == "":
		key = new_key()
	var body = payload.duplicate(true)
	body["idempotencyKey"] = key
	var json = JSON.stringify(body)
	var last = {}
	for attempt in range(attempts):
		var r = await client.rpc_async(session, rpc_id, json)
		if not r.is_exception():
			var parsed = JSON.parse_string(r.payload)
			var answer = parsed if typeof(parsed) == TYPE_DICTIONARY else {}
			return {"ok": true, "payload": answer, "idempotencyKey": key}
		var e = r.get_exception()
		last = {"ok": false, "status_code": e.status_code, "grpc_status_code": e.grpc_status_code, "message": e.message, "idempotencyKey": key}
		if not retriable(e.status_code, e.grpc_status_code):
			return last
		if attempt + 1 < attempts:
			await tree.create_timer(max(1, Backoff.jittered_delay(attempt, base_ms, max_ms, randf())) / 1000.0).timeout
	return last
