# Godot 3 addon, generated from engines/godot/src/addons/nakama_rejoin/backoff.gd by `npm run build:godot`: edit that file.
# Reconnect delays: exponential backoff with full jitter, never scheduling an attempt past the
# seat's deadline. Randomness and time come in as arguments so the schedule can be tested.


# The cap of attempt `attempt` (0 = the first retry): min(max, base * 2^attempt).
static func cap(attempt: int, base_ms: int, max_ms: int) -> float:
	return min(float(max_ms), base_ms * pow(2, min(max(0, attempt), 30)))


# Uniform in [0, cap): "full jitter", which spreads a crowd of clients that lost the same server.
# `r` is a random number in [0, 1).
static func jittered_delay(attempt: int, base_ms: int, max_ms: int, r: float) -> int:
	return int(floor(r * cap(attempt, base_ms, max_ms)))


# The wait before attempt `attempt` in ms, or -1 when none fits: an attempt is only worth making
# if it starts more than `min_lead_ms` before `deadline_ms`. The jittered delay is cut short so
# that the last attempt still starts in time.
static func next_delay(attempt: int, now_ms: int, deadline_ms: int, base_ms: int, max_ms: int, r: float, min_lead_ms: int = 100) -> int:
	var delay = jittered_delay(attempt, base_ms, max_ms, r)
	var latest = deadline_ms - min_lead_ms - now_ms
	if latest <= 0:
		return -1
	return int(min(delay, latest))


# When the client stops retrying: when the drop was noticed plus the last SNAPSHOT's grace window
# (the server notices a drop later than the client, never earlier), or for a manual grace window
# (grace_ticks null) `manual_give_up_ms` after the drop.
static func give_up_at(noticed_ms: int, grace_ticks, tick_rate, manual_give_up_ms: int) -> int:
	if grace_ticks == null or tick_rate == null or float(tick_rate) <= 0:
		return noticed_ms + manual_give_up_ms
	return noticed_ms + int(float(grace_ticks) * 1000.0 / float(tick_rate))
