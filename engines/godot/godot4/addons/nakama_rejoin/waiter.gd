# Godot 4 addon, generated from engines/godot/src/addons/nakama_rejoin/waiter.gd by `npm run build:godot`: edit that file.
# The first of several things to finish: a reply, a timer, a closed socket. Whoever calls
# finish() first sets the value; `done` is emitted once.

signal done(value)

var finished := false
var value = null


func finish(v = null) -> void:
	if finished:
		return
	finished = true
	value = v
	emit_signal("done", v)
