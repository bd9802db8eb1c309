# Godot 3 addon, generated from engines/godot/src/addons/nakama_rejoin/sequence_tracker.gd by `npm run build:godot`: edit that file.
# Gap detection over the match's broadcast sequence numbers (SEAT, EVENT, END carry `seq`).
# After a SNAPSHOT with seq S: broadcasts with seq <= S are already in it (ignore), S+1 is the
# next one (apply), anything larger means one went missing (ask for RESYNC, once until the next
# SNAPSHOT).

const APPLY := 0
const STALE := 1
const GAP := 2

# The last seq applied (or held by the last SNAPSHOT); -1 before any SNAPSHOT.
var current := -1
var _resync_asked := false


# A SNAPSHOT: everything up to seq is in it.
func snapshot(seq: int) -> void:
	current = seq
	_resync_asked = false


# APPLY a broadcast when it is the next one, ignore it as STALE when the snapshot already holds
# it (or before any snapshot), report a GAP when one went missing.
func broadcast(seq: int) -> int:
	if current < 0 or seq <= current:
		return STALE
	if seq == current + 1 and not _resync_asked:
		current = seq
		return APPLY
	return GAP


# True once per gap: whether to send RESYNC now (not again until the next SNAPSHOT).
func should_resync() -> bool:
	if _resync_asked:
		return false
	_resync_asked = true
	return true
