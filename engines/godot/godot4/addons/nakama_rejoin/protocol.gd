# Godot 4 addon, generated from engines/godot/src/addons/nakama_rejoin/protocol.gd by `npm run build:godot`: edit that file.
# The wire contract (docs/protocol.md; src/protocol.ts is its source): every constant the addon
# sends or reads. One constant per value, named <GROUP>_<KEY> after src/protocol.ts: OpCode ->
# OP_, SeatStatus -> SEAT_STATUS_, SeatReason -> SEAT_REASON_, RejectReason -> REJECT_,
# MessageError -> ERROR_, IdempotencyError -> IDEMPOTENCY_, AckResult -> ACK_, EndReason -> END_,
# the session_resume statuses -> RESUME_, Rpc -> RPC_.

const PROTOCOL_VERSION = 1

const OP_SNAPSHOT = 1
const OP_SEAT = 2
const OP_EVENT = 3
const OP_ACK = 4
const OP_END = 5
const OP_ERROR = 6
const OP_ACTION = 100
const OP_RESYNC = 101
const OP_QUIT = 102

const SEAT_STATUS_CONNECTED = "connected"
const SEAT_STATUS_RESERVED = "reserved"
const SEAT_STATUS_FREE = "free"

const SEAT_REASON_JOINED = "joined"
const SEAT_REASON_RESUMED = "resumed"
const SEAT_REASON_DROPPED = "dropped"
const SEAT_REASON_LEFT = "left"
const SEAT_REASON_EXPIRED = "expired"

const REJECT_MATCH_FULL = "match_full"
const REJECT_TOKEN_INVALID = "token_invalid"
const REJECT_TOKEN_EXPIRED = "token_expired"
const REJECT_SEAT_LOST = "seat_lost"
const REJECT_RATE_LIMITED = "rate_limited"
const REJECT_NOT_INVITED = "not_invited"
const REJECT_SERVER_STOPPING = "server_stopping"
const REJECT_METADATA_INVALID = "metadata_invalid"

const ERROR_BAD_JSON = "bad_json"
const ERROR_UNKNOWN_OP = "unknown_op"
const ERROR_BAD_MESSAGE = "bad_message"
const ERROR_NOT_SEATED = "not_seated"
const ERROR_SERVER_STOPPING = "server_stopping"

const IDEMPOTENCY_KEY_INVALID = "idempotency_key_invalid"
const IDEMPOTENCY_CONFLICT = "idempotency_conflict"

const ACK_APPLIED = "applied"
const ACK_DUPLICATE = "duplicate"
const ACK_REJECTED = "rejected"

const END_ROUND_OVER = "round_over"
const END_ABANDONED = "abandoned"
const END_EMPTY = "empty"
const END_SHUTDOWN = "shutdown"
const END_MOVED = "moved"
const END_OPERATOR = "operator"

const RESUME_ACTIVE = "active"
const RESUME_ELSEWHERE = "elsewhere"
const RESUME_NONE = "none"
const RESUME_ENDED = "ended"

const RPC_MATCH_CREATE = "match_create"
const RPC_MATCH_FIND = "match_find"
const RPC_SESSION_RESUME = "session_resume"
const RPC_SHOP_PURCHASE = "shop_purchase"
