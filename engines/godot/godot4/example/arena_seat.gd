# Godot 4 addon, generated from engines/godot/src/example/arena_seat.gd by `npm run build:godot`: edit that file.
# The quick start's game-side code: join a match, show what the player needs to know
# while the connection comes and goes, act, buy once.
extends RefCounted

# What the UI would show, newest last.
var messages := []
var rejoin


# docs:begin usage
func play(rejoin_client, mode: String):
	rejoin = rejoin_client
	rejoin.reconnecting.connect(_on_reconnecting)
	rejoin.resumed.connect(_on_resumed)
	rejoin.seat_lost.connect(_on_seat_lost)
	rejoin.ended.connect(_on_ended)
	var snapshot = await rejoin.find_match(mode)
	rejoin.send_action({"type": "add", "amount": 3})
	return snapshot


func _on_reconnecting(_match_id, attempt, ms_left, _reason):
	messages.append("Reconnecting: attempt %d, %.1f s left" % [attempt, ms_left / 1000.0])


func _on_resumed(_match_id, seat, _snapshot):
	messages.append("Back in seat %d" % seat)


func _on_seat_lost(_match_id, reason):
	messages.append("Seat lost: " + reason)


func _on_ended(_match_id, reason, _result):
	messages.append("Match over: " + reason)
# docs:end


# docs:begin purchase
func buy(client, session, item_id: String, quantity: int):
	var r = await NakamaRejoinIdempotentRpc.call_rpc(client, session, "shop_purchase", {"itemId": item_id, "quantity": quantity})
	return r["payload"] if r["ok"] else r
# docs:end
