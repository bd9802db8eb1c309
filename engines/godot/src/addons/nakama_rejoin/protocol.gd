# The wire contract (docs/protocol.md), as nakama-rejoin/protocol/contract.json states it: every
# constant the addon sends or reads. Named <GROUP>_<KEY> in upper snake case after the contract
# (op codes: OP_<KEY>); a test fails when one is missing or differs from the contract.

const PROTOCOL_VERSION = 1
const MATCH_MODULE = "arena"
const MAX_ACTION_SEQ = 2147483647

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

const REJECT_REASON_MATCH_FULL = "match_full"
const REJECT_REASON_TOKEN_INVALID = "token_invalid"
const REJECT_REASON_TOKEN_EXPIRED = "token_expired"
const REJECT_REASON_SEAT_LOST = "seat_lost"
const REJECT_REASON_RATE_LIMITED = "rate_limited"
const REJECT_REASON_NOT_INVITED = "not_invited"
const REJECT_REASON_SERVER_STOPPING = "server_stopping"
const REJECT_REASON_METADATA_INVALID = "metadata_invalid"

const MESSAGE_ERROR_BAD_JSON = "bad_json"
const MESSAGE_ERROR_UNKNOWN_OP = "unknown_op"
const MESSAGE_ERROR_BAD_MESSAGE = "bad_message"
const MESSAGE_ERROR_NOT_SEATED = "not_seated"
const MESSAGE_ERROR_SERVER_STOPPING = "server_stopping"

const ACK_RESULT_APPLIED = "applied"
const ACK_RESULT_DUPLICATE = "duplicate"
const ACK_RESULT_REJECTED = "rejected"

const END_REASON_ROUND_OVER = "round_over"
const END_REASON_ABANDONED = "abandoned"
const END_REASON_EMPTY = "empty"
const END_REASON_SHUTDOWN = "shutdown"
# Not an end of the game: another copy of the match took over; session_resume says where.
const END_REASON_MOVED = "moved"
const END_REASON_OPERATOR = "operator"
# To this socket only: another device of the player took the seat. Never rejoin from here.
const END_REASON_TAKEN_OVER = "taken_over"

const RESUME_STATUS_ACTIVE = "active"
const RESUME_STATUS_ELSEWHERE = "elsewhere"
const RESUME_STATUS_NONE = "none"
const RESUME_STATUS_ENDED = "ended"

const RPC_MATCH_CREATE = "match_create"
const RPC_MATCH_FIND = "match_find"
const RPC_SESSION_RESUME = "session_resume"
const RPC_SHOP_PURCHASE = "shop_purchase"

# How a module RPC error message starts ("reason: detail"). Over the realtime socket every
# module error arrives with code 7: the reason is all there is to tell them apart (rpc_error_reason).
const RPC_ERROR_REASON_PAYLOAD_INVALID = "payload_invalid"
const RPC_ERROR_REASON_UNAUTHENTICATED = "unauthenticated"
const RPC_ERROR_REASON_MODE_UNKNOWN = "mode_unknown"
const RPC_ERROR_REASON_CREATE_RATE_LIMITED = "create_rate_limited"
const RPC_ERROR_REASON_TOO_MANY_OPEN_MATCHES = "too_many_open_matches"
const RPC_ERROR_REASON_BUSY = "busy"
const RPC_ERROR_REASON_RESTORING = "restoring"
const RPC_ERROR_REASON_SHUTTING_DOWN = "shutting_down"
const RPC_ERROR_REASON_IDEMPOTENCY_KEY_INVALID = "idempotency_key_invalid"
const RPC_ERROR_REASON_IDEMPOTENCY_CONFLICT = "idempotency_conflict"
const RPC_ERROR_REASON_CONTENDED = "contended"
const RPC_ERROR_REASON_ITEM_UNKNOWN = "item_unknown"
const RPC_ERROR_REASON_QUANTITY_INVALID = "quantity_invalid"
const RPC_ERROR_REASON_INSUFFICIENT_FUNDS = "insufficient_funds"
const RPC_ERROR_REASON_SERVER_OWNED = "server_owned"
const RPC_ERROR_REASON_OPERATOR_ONLY = "operator_only"
const RPC_ERROR_REASON_INTERNAL = "internal"

const IDEMPOTENCY_ERROR_KEY_INVALID = "idempotency_key_invalid"
const IDEMPOTENCY_ERROR_CONFLICT = "idempotency_conflict"
