# Drives an addon's NakamaRejoinClient headless against a real Nakama with the module. Written in
# Godot 4 GDScript: run as it is on Godot 4, translated for Godot 3 as the addon is
# (scripts/godot-assemble.mjs); godot3/ and godot4/driver_api.gd hold the calls that differ.
# Alice's match socket (and, in the purchase, her RPC) runs through the runner's fault proxy; Bob
# and every check go direct. The runner (test/engines/run.ts) is asked over HTTP
# to cut, black-hole, partition, heal or restart. One line per scenario: "PASS name" or
# "FAIL name: why".
extends SceneTree

const ArenaSeat = preload("res://arena_seat.gd")
const DriverApi = preload("res://driver_api.gd")
const Waiter = preload("res://addons/nakama_rejoin/waiter.gd")

var host := OS.get_environment("NAKAMA_HOST")
var port := int(OS.get_environment("NAKAMA_PORT"))
var proxy_port := int(OS.get_environment("PROXY_PORT"))
var control_url := OS.get_environment("CONTROL_URL")
var failure := ""
var cleanups := []


func _initialize():
	# A headless script run of Godot 3 loads no autoloads: add nakama-godot's singleton where the
	# addon looks for it.
	if root.get_node_or_null("Nakama") == null:
		var nakama = load("res://addons/com.heroiclabs.nakama/Nakama.gd").new()
		nakama.name = "Nakama"
		root.add_child(nakama)
	_main()


func _main():
	await self.process_frame
	var scenarios = [
		["first join: the quick start finds a match, gets its SNAPSHOT and acts", "first_join"],
		["cut: reconnects, refreshes the expired login, same seat, score and position, every action once", "cut"],
		["black hole: the heartbeat notices, re-authenticates, takes the seat over, every action once", "black_hole"],
		["grace window over: reports the seat lost, and the server agrees", "grace_over"],
		["server restart mid-grace: session_resume finds the restored match, actions carried over", "restart"],
		["idempotent purchase: the answer is lost, the retry is charged once", "purchase"],
		["idempotent purchase through the client: its expired login refreshed first, one charge per key, read-only state", "purchase_via_client"],
		["node resolver: moves RPCs and sockets to the address it gives for a node", "follow_node"],
		["rpc prefix: the client calls the module's RPCs under the game's names", "rpc_prefix"],
	]
	var only = OS.get_environment("SCENARIOS")
	var failed = 0
	for s in scenarios:
		if only != "" and not s[0].begins_with(only):
			continue
		failure = ""
		var w = Waiter.new()
		create_timer(90).timeout.connect(w.finish.bind("timed out after 90 s"))
		_run(s[1], w)
		if not w.finished:
			await w.done
		if w.value != "" and failure == "":
			failure = w.value
		for c in cleanups:
			if c.state == NakamaRejoinClient.LIVE:
				await c.quit()
			else:
				c.close()
		cleanups = []
		await _control("heal")
		if failure == "":
			print("PASS " + s[0])
		else:
			failed += 1
			print("FAIL " + s[0] + ": " + failure)
	quit(0 if failed == 0 else 1)


func _run(scenario: String, w) -> void:
	await call(scenario)
	w.finish("")


# ---- plumbing ------------------------------------------------------------------------------

func _control(command: String):
	var http = HTTPRequest.new()
	root.add_child(http)
	http.timeout = 60
	DriverApi.post(http, control_url + "/" + command)
	var r = await http.request_completed
	http.queue_free()
	if r[1] != 200:
		_fail("control %s: HTTP %d" % [command, r[1]])


func _fail(why: String) -> void:
	if failure == "":
		failure = why


func check(ok: bool, what: String) -> bool:
	if not ok:
		_fail(what)
	return ok


# Waits until `object.method()` is true; false (and the scenario failed) after `ms`.
func eventually(object, method: String, what: String, ms: int = 10000, args: Array = []):
	await self.process_frame
	var until = DriverApi.ticks_ms() + ms
	while not object.callv(method, args):
		if DriverApi.ticks_ms() > until:
			_fail("timed out waiting for " + what)
			return false
		await create_timer(0.02).timeout
	return true


func new_client(p_port: int):
	return root.get_node("Nakama").create_client("defaultkey", host, p_port, "http", 10, NakamaLogger.LOG_LEVEL.ERROR)


func new_player(name: String, via_proxy: bool):
	await self.process_frame
	var client = new_client(port)
	var custom_id = "godot-%s-%s" % [name, Crypto.new().generate_random_bytes(12).hex_encode()]
	var session = await client.authenticate_custom_async(custom_id)
	if session.is_exception():
		_fail("sign-in failed: " + session.get_exception().message)
		return null
	return {"client": client, "session": session, "custom_id": custom_id, "socket_client": new_client(proxy_port) if via_proxy else client}


# A NakamaRejoinClient that records what it tells the game.
func seat(p, store = null):
	var rc = NakamaRejoinClient.new(p["client"], p["session"], store)
	rc.socket_client = p["socket_client"]
	rc.heartbeat_ms = 1000
	rc.backoff_base_ms = 100
	rc.backoff_max_ms = 1000
	rc.log_func = Callable(self, "_log")
	var seen = Seen.new()
	rc.reconnecting.connect(seen.on_reconnecting)
	rc.resumed.connect(seen.on_resumed)
	rc.seat_lost.connect(seen.on_seat_lost)
	rc.ended.connect(seen.on_ended)
	rc.snapshot_received.connect(seen.on_snapshot_received)
	rc.game_event.connect(seen.on_game_event)
	rc.seat_changed.connect(seen.on_seat_changed)
	rc.ack.connect(seen.on_ack)
	cleanups.append(rc)
	return {"player": p, "rc": rc, "seen": seen}


func _log(line: String) -> void:
	print("  log: " + line)


class Seen:
	var reconnecting := []
	var resumed := []
	var seat_lost := []
	var ended := []
	var snapshots := []
	var events := []
	var seats := []
	var acks := []

	func on_reconnecting(match_id, attempt, ms_left, reason):
		reconnecting.append({"attempt": attempt, "ms_left": ms_left, "reason": reason})

	func on_resumed(match_id, seat, snapshot):
		resumed.append(snapshot)

	func on_seat_lost(match_id, reason):
		seat_lost.append(reason)

	func on_ended(match_id, reason, result):
		ended.append(reason)

	func on_snapshot_received(s):
		snapshots.append(s)

	func on_game_event(e):
		events.append(e)

	func on_seat_changed(e):
		seats.append(e)

	func on_ack(a):
		acks.append(a)

	# Amounts of the `scored` events of one seat, in order.
	func scored(seat: int) -> Array:
		var out := []
		for e in events:
			if e.get("type") == "scored" and int(e.get("seat")) == seat:
				out.append(int(e["amount"]))
		return out

	func applied(action_seq: int) -> int:
		var n = 0
		for a in acks:
			if int(a["actionSeq"]) == action_seq and a["result"] == "applied":
				n += 1
		return n


# Alice (through the proxy) and Bob (direct) seated in a new match of `mode`.
func table(mode: String = "e2e"):
	var alice = seat(await new_player("alice", true))
	var bob = seat(await new_player("bob", false))
	var created = await alice["player"]["client"].rpc_async(alice["player"]["session"], "match_create", JSON.stringify({"mode": mode}))
	if created.is_exception():
		_fail("match_create: " + created.get_exception().message)
		return null
	var match_id = JSON.parse_string(created.payload)["matchId"]
	var a = await alice["rc"].join_match(match_id)
	var b = await bob["rc"].join_match(match_id)
	if not check(typeof(a) == TYPE_DICTIONARY and typeof(b) == TYPE_DICTIONARY, "joins: %s, %s" % [str(a), str(b)]):
		return null
	check(int(a["you"]["seat"]) != int(b["you"]["seat"]), "two players got one seat")
	return [alice, bob]


func add(amount: int) -> Dictionary:
	return {"type": "add", "amount": amount}


func game_seat(s: Dictionary, seat: int) -> Dictionary:
	return s["game"]["seats"][seat]


func score(s: Dictionary, seat: int) -> int:
	return int(game_seat(s, seat)["score"])


func no_unacked(rc) -> bool:
	return rc.unacknowledged().size() == 0


func more_than(list: Array, n: int) -> bool:
	return list.size() > n


func state_is(rc, st: int) -> bool:
	return rc.state == st


func equals(object, method: String, args: Array, value) -> bool:
	return object.callv(method, args) == value


# A fresh SNAPSHOT over the current connection.
func resync(p):
	var before = p["seen"].snapshots.size()
	p["rc"].resync()
	await eventually(self, "more_than", "a SNAPSHOT after RESYNC", 10000, [p["seen"].snapshots, before])
	return p["seen"].snapshots.back() if p["seen"].snapshots.size() > before else {}


# Every action of Alice's applied exactly once: by her ACKs, her score and what Bob saw.
func check_exactly_once(alice, bob, amounts: Array, moves: int = 0):
	if not await eventually(self, "no_unacked", "every action acknowledged", 10000, [alice["rc"]]):
		return
	var s = alice["rc"].seat
	var snap = await resync(alice)
	if not check(snap.size() > 0, "no SNAPSHOT after RESYNC"):
		return
	var total = 0
	for a in amounts:
		total += a
	check(int(snap["lastActionSeq"]) == amounts.size() + moves, "lastActionSeq %d, sent %d" % [int(snap["lastActionSeq"]), amounts.size() + moves])
	check(score(snap, s) == total, "score %d, expected %d" % [score(snap, s), total])
	for i in range(1, amounts.size() + moves + 1):
		check(alice["seen"].applied(i) <= 1, "action %d applied %d times" % [i, alice["seen"].applied(i)])
	await eventually(self, "bob_saw", "Bob seeing every scored event", 10000, [bob, s, amounts.size()])
	await create_timer(0.3).timeout
	check(str(bob["seen"].scored(s)) == str(amounts), "Bob saw scores %s, sent %s" % [str(bob["seen"].scored(s)), str(amounts)])


func bob_saw(bob, s: int, n: int) -> bool:
	return bob["seen"].scored(s).size() >= n


# ---- scenarios -----------------------------------------------------------------------------

func first_join():
	var alice = await new_player("alice", true)
	var game = ArenaSeat.new()
	var client = alice["client"]
	var session = alice["session"]
	# docs:begin create
	var rejoin = NakamaRejoinClient.new(client, session, NakamaRejoinClient.ConfigFileTokenStore.new())
	# docs:end
	rejoin.socket_client = alice["socket_client"]
	cleanups.append(rejoin)
	var snap = await game.play(rejoin, "e2e")
	if not check(typeof(snap) == TYPE_DICTIONARY, "find_match: " + str(snap)):
		return
	check(not snap["resumed"] and int(snap["you"]["seat"]) == 0 and int(snap["lastActionSeq"]) == 0, "first SNAPSHOT: " + str(snap))
	check(rejoin.state == NakamaRejoinClient.LIVE, "state %d" % rejoin.state)
	var bob = seat(await new_player("bob", false))
	var b = await bob["rc"].join_match(rejoin.match_id)
	if not check(typeof(b) == TYPE_DICTIONARY and int(b["you"]["seat"]) == 1, "Bob's join: " + str(b)):
		return
	await eventually(self, "no_unacked", "the action's ACK", 10000, [rejoin])
	rejoin.resync()
	await eventually(self, "score_is", "a SNAPSHOT with the score of 3", 10000, [rejoin, 0, 3])
	check(game.messages.size() == 0, "unexpected messages: " + str(game.messages))


func score_is(rc, s: int, value: int) -> bool:
	return rc.last_snapshot != null and score(rc.last_snapshot, s) == value


func cut():
	var t = await table()
	if t == null:
		return
	var alice = t[0]
	var bob = t[1]
	var amounts = [1, 2, 3]
	for a in amounts:
		alice["rc"].send_action(add(a))
	alice["rc"].send_action({"type": "move", "dx": 1, "dy": 1})
	await eventually(self, "no_unacked", "acks before the cut", 10000, [alice["rc"]])
	var s = alice["rc"].seat
	var before = await resync(alice)
	# The login expires while the link is down: the rejoin must refresh it first.
	alice["rc"].clock_offset_ms = 2 * 3600 * 1000
	var login = alice["rc"].session
	await _control("cut")
	if not await eventually(self, "more_than", "a reconnecting event", 10000, [alice["seen"].reconnecting, 0]):
		return
	var r = alice["seen"].reconnecting[0]
	check(r["attempt"] == 1 and r["ms_left"] > 0 and r["ms_left"] <= 3000 and r["reason"] == "closed", "reconnecting: " + str(r))
	# Sent while disconnected: queued, sent after the SNAPSHOT.
	alice["rc"].send_action(add(4))
	alice["rc"].send_action(add(5))
	amounts += [4, 5]
	if not await eventually(self, "more_than", "resumed", 10000, [alice["seen"].resumed, 0]):
		return
	var back = alice["seen"].resumed[0]
	check(back["resumed"] and int(back["you"]["seat"]) == s and int(back["lastActionSeq"]) == 4, "rejoin SNAPSHOT: " + str(back))
	check(score(back, s) == 6 and game_seat(back, s)["x"] == game_seat(before, s)["x"] and game_seat(back, s)["y"] == game_seat(before, s)["y"], "score or position changed")
	# (A refresh within the same second may give back the same token string: the session object
	# is the client's renewed login.)
	check(alice["rc"].session != login and not alice["rc"].session.is_expired(), "the expired login was not refreshed before the rejoin")
	await check_exactly_once(alice, bob, amounts, 1)


var reauthenticated := 0
var reauth_player = null


func _sign_in_again():
	reauthenticated += 1
	return await reauth_player["client"].authenticate_custom_async(reauth_player["custom_id"], null, false)


func black_hole():
	var t = await table()
	if t == null:
		return
	var alice = t[0]
	var bob = t[1]
	reauthenticated = 0
	reauth_player = alice["player"]
	alice["rc"].reauthenticate = Callable(self, "_sign_in_again")
	var user_id = alice["rc"].session.user_id
	var amounts = [2, 7]
	for a in amounts:
		alice["rc"].send_action(add(a))
	await eventually(self, "no_unacked", "acks before the black hole", 10000, [alice["rc"]])
	# Past the refresh token's life too: only signing in again can renew the login.
	alice["rc"].clock_offset_ms = 8 * 24 * 3600 * 1000
	await _control("blackhole")
	# Lost in the black hole: written to the dead socket, never seen by the server.
	alice["rc"].send_action(add(9))
	amounts.append(9)
	if not await eventually(self, "more_than", "a reconnecting event", 8000, [alice["seen"].reconnecting, 0]):
		return
	check(alice["seen"].reconnecting[0]["reason"] == "heartbeat_timeout", "noticed by " + str(alice["seen"].reconnecting[0]["reason"]))
	if not await eventually(self, "more_than", "resumed", 10000, [alice["seen"].resumed, 0]):
		return
	check(reauthenticated >= 1, "the reauthenticate callback was not called")
	check(alice["rc"].session.user_id == user_id, "signed in as someone else")
	await check_exactly_once(alice, bob, amounts)


func expired_seen(bob, s: int) -> bool:
	for e in bob["seen"].seats:
		if e.get("reason") == "expired" and int(e.get("seat")) == s:
			return true
	return false


func grace_over():
	var t = await table()
	if t == null:
		return
	var alice = t[0]
	var bob = t[1]
	alice["rc"].send_action(add(1))
	await eventually(self, "no_unacked", "the ack", 10000, [alice["rc"]])
	var s = alice["rc"].seat
	# Unreachable for longer than the 3 s grace window.
	await _control("partition")
	if not await eventually(self, "more_than", "seat lost", 15000, [alice["seen"].seat_lost, 0]):
		return
	var reason = alice["seen"].seat_lost[0]
	check(reason == "grace_expired" or reason == "token_expired", "seat lost for " + reason)
	check(alice["rc"].state == NakamaRejoinClient.CLOSED, "still in state %d" % alice["rc"].state)
	await _control("heal")
	await eventually(self, "expired_seen", "Bob seeing the seat expire", 8000, [bob, s])
	var again = seat(alice["player"])
	var outcome = await again["rc"].resume()
	check(typeof(outcome) == TYPE_DICTIONARY and outcome.get("status") == "none", "session_resume after expiry: " + str(outcome))
	check(alice["seen"].resumed.size() == 0, "resumed after the grace window")


func restart():
	var t = await table("casual")
	if t == null:
		return
	var alice = t[0]
	var bob = t[1]
	alice["rc"].send_action(add(4))
	await eventually(self, "applied_once", "the first action applied", 10000, [alice, 1])
	var match_id = alice["rc"].match_id
	_control("restart")
	if not await eventually(self, "state_is", "reconnecting", 15000, [alice["rc"], NakamaRejoinClient.RECONNECTING]):
		return
	# Sent while the server is down: applied once, in the restored match.
	alice["rc"].send_action(add(6))
	if not await eventually(self, "more_than", "resumed after the restart", 40000, [alice["seen"].resumed, 0]):
		return
	check(alice["rc"].match_id != match_id, "the restored match has the old id")
	check(int(alice["seen"].resumed[0]["lastActionSeq"]) == 1, "restored lastActionSeq " + str(alice["seen"].resumed[0]["lastActionSeq"]))
	await eventually(self, "more_than", "Bob resumed after the restart", 30000, [bob["seen"].resumed, 0])
	check(bob["rc"].match_id == alice["rc"].match_id, "Bob and Alice in different copies")
	await eventually(self, "applied_once", "the action sent while down, applied", 10000, [alice, 2])
	var snap = await resync(alice)
	check(snap.size() > 0 and score(snap, alice["rc"].seat) == 10, "score after the restart: " + str(snap.get("game")))
	check(alice["seen"].applied(1) == 1, "the first action applied again")


func applied_once(p, action_seq: int) -> bool:
	return p["seen"].applied(action_seq) == 1


func purchase():
	var p = await new_player("shopper", false)
	var via_proxy = new_client(proxy_port)
	var before = await coins(p)
	if not check(before == 1000, "starting coins %d" % before):
		return
	# The answer crawls back through the slowed proxy; the link dies once the server has applied
	# the purchase, before the answer arrives.
	await _control("latency?ms=400")
	var waiter = Waiter.new()
	_buy(via_proxy, p["session"], waiter)
	var until = DriverApi.ticks_ms() + 10000
	while (await coins(p)) != 900:
		if DriverApi.ticks_ms() > until:
			_fail("timed out waiting for the purchase to apply on the server")
			return
	await _control("cut")
	await _control("latency?ms=0")
	if not waiter.finished:
		await waiter.done
	var receipt = waiter.value
	if not check(typeof(receipt) == TYPE_DICTIONARY and receipt.has("replayed"), "purchase failed: " + str(receipt)):
		return
	check(receipt["replayed"] == true, "the answer was not a replay: the first answer was not lost")
	check(int(receipt["balance"]) == 900 and int(receipt["owned"]) == 2 and int(receipt["cost"]) == 100, "receipt " + str(receipt))
	check((await coins(p)) == 900, "charged twice")


# call_idempotent goes through the client's login: an expired one is refreshed first, and the
# same key is a replay, not a second charge.
func purchase_via_client():
	var p = seat(await new_player("client-shopper", false))
	var rejoin = p["rc"]
	var before = await coins(p["player"])
	if not check(before == 1000, "starting coins %d" % before):
		return
	rejoin.clock_offset_ms = 2 * 3600 * 1000
	var login = rejoin.session
	var r = await rejoin.call_idempotent("shop_purchase", {"itemId": "shield", "quantity": 1})
	if not check(r["ok"] and r["payload"].get("replayed") == false, "purchase failed: " + str(r)):
		return
	check(rejoin.session != login and not rejoin.session.is_expired(), "the expired login was not refreshed before the RPC")
	check(int(r["payload"]["balance"]) == 950 and (await coins(p["player"])) == 950, "receipt " + str(r["payload"]))
	var again = await rejoin.call_idempotent("shop_purchase", {"itemId": "shield", "quantity": 1}, r["idempotencyKey"])
	check(again["ok"] and again["payload"].get("replayed") == true, "the same key was not a replay: " + str(again))
	check((await coins(p["player"])) == 950, "charged twice")
	var refused = await rejoin.call_idempotent("shop_purchase", {"itemId": "shield", "quantity": 0})
	check(not refused["ok"] and NakamaRejoinClient.rpc_error_reason(refused["message"]) == "quantity_invalid", "a refusal: " + str(refused))
	# Read-only state: an assignment is refused and changes nothing.
	rejoin.state = NakamaRejoinClient.LIVE
	check(rejoin.state == NakamaRejoinClient.IDLE, "state was assigned from outside")

# A game that registers the module's RPCs under its own names: here the shop's, "shop_" +
# "purchase", so the prefixed call reaches shop_purchase and nothing else would.
func rpc_prefix():
	var p = seat(await new_player("prefixed", false))
	var rejoin = p["rc"]
	rejoin.rpc_prefix = "shop_"
	check(rejoin.rpc_prefix == "shop_", "rpc_prefix was not kept")
	var r = await rejoin.call_idempotent("purchase", {"itemId": "shield", "quantity": 1})
	if not check(r["ok"] and r["payload"].get("replayed") == false, "the prefixed purchase failed: " + str(r)):
		return
	check((await coins(p["player"])) == 950, "coins after one purchase")
	var unprefixed = await rejoin.call_idempotent("shop_purchase", {"itemId": "shield", "quantity": 1})
	check(not unprefixed["ok"] and unprefixed["status_code"] == 404, "shop_shop_purchase should not exist: " + str(unprefixed))


func _buy(client, session, waiter):
	var game = ArenaSeat.new()
	var r = await game.buy(client, session, "shield", 2)
	waiter.finish(r)


func coins(p):
	var account = await p["client"].get_account_async(p["session"])
	if account.is_exception():
		return -1
	return int(JSON.parse_string(account.wallet).get("coins", -1))


var nodes := {}


# docs:begin resolver_func
func node_address(node: String):
	# Where each node is reached: {"host", "port", "scheme"}, or null when unknown.
	return nodes.get(node)
# docs:end


# What a client told `elsewhere` does with the node's name (two nodes are not started here).
func follow_node():
	var p = seat(await new_player("traveller", false))
	var rejoin = p["rc"]
	nodes = {"node-b": {"host": host, "port": proxy_port, "scheme": "http"}}
	check(not rejoin._follow_to_node("node-b"), "moved without a resolver")
	# docs:begin resolver
	rejoin.node_resolver = Callable(self, "node_address")
	# docs:end
	check(not rejoin._follow_to_node("node-c"), "moved to a node the resolver does not know")
	check(rejoin._follow_to_node("node-b"), "did not move to the resolved node")
	check(rejoin.client.port == proxy_port and rejoin.socket_client.port == proxy_port, "RPCs or sockets not moved")
	check(not rejoin._follow_to_node("node-b"), "moved again to where it is")
	# Its RPCs and its socket now go through the proxy: a cut there is a drop it comes back from.
	var snap = await rejoin.find_match("e2e")
	if not check(typeof(snap) == TYPE_DICTIONARY, "find_match through the resolved node: " + str(snap)):
		return
	await _control("cut")
	if await eventually(self, "more_than", "a reconnect after a cut on the resolved node", 10000, [p["seen"].reconnecting, 0]):
		await eventually(self, "more_than", "back in after the cut", 15000, [p["seen"].resumed, 0])
