# What the addon calls that differs between Godot 3 and Godot 4 beyond syntax (this file: Godot 3
# and nakama-godot's Godot 3 line, 3.3.x). The rest of the addon is the same source for both.


# Wall-clock time in ms, to compare with the login's expiry.
static func now_ms() -> int:
	return OS.get_system_time_msecs()


# A round trip over the socket that changes nothing (following no users): the heartbeat.
static func ping(socket):
	return yield(socket.follow_users_async(PoolStringArray()), "completed")
