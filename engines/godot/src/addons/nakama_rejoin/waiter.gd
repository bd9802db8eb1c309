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


# Finishes with `v` after `seconds`, unless something finished it first.
func finish_after(seconds: float, v) -> void:
	tree().create_timer(seconds).timeout.connect(finish.bind(v))


# The running SceneTree: its frames and timers.
static func tree() -> SceneTree:
	return Engine.get_main_loop() as SceneTree
