# The first of several things to finish: a reply, a timer, a closed socket. Whoever calls
# finish() first sets the value; `done` is emitted once.
# The same file in the Godot 3 and Godot 4 addons.

signal done(value)

var finished := false
var value = null


func finish(v = null) -> void:
	if finished:
		return
	finished = true
	value = v
	emit_signal("done", v)
