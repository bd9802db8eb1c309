# Godot 4 addon, generated from engines/godot/src/godot4/godot_api.gd by `npm run build:godot`: edit that file.
# What the addon calls that differs between Godot 4 and Godot 3 beyond syntax (this file: Godot 4
# and nakama-godot 3.4 and later). The rest of the addon is the same source for both.


# Wall-clock time in ms, to compare with the login's expiry.
static func now_ms() -> int:
	return int(Time.get_unix_time_from_system() * 1000.0)


# A round trip over the socket that changes nothing (following no users): the heartbeat.
static func ping(socket):
	return await socket.follow_users_async(PackedStringArray(), PackedStringArray())
