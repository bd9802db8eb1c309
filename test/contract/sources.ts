// Where each client and the docs state the wire contract: the one list the drift test reads.
// Paths are relative to the repository root.

/** Every .cs under this folder is read; a class named after a contract group holds its constants. */
export const CSHARP_ROOT = 'engines/unity/Runtime';
/** Named in a problem when a contract group has no class anywhere under CSHARP_ROOT. */
export const CSHARP_HOME = 'engines/unity/Runtime/Protocol.cs';
/** Constants in a contract class that are not on the wire, as `Class.Name`. */
export const CSHARP_CLIENT_ONLY = ['RejectReason.MatchNotFound'];

/**
 * One folder per GDScript client as users install it (or per shared source the addons are
 * assembled from). Every .gd under a folder is read: each one that declares any contract constant
 * must declare them all, and each folder must have at least one such file.
 */
export const GDSCRIPT_ROOTS = ['engines/godot/src/addons/nakama_rejoin', 'engines/godot/godot3/addons/nakama_rejoin', 'engines/godot/godot4/addons/nakama_rejoin'];

export const DOCS = 'docs/protocol.md';
