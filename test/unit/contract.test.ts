// One contract, as data: contract.json is derived from src/protocol.ts, and the C# and GDScript
// clients and docs/protocol.md are held to it. A value added on the server and missing anywhere
// fails here, naming the constant and the file.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contractOf, type Contract } from '../../scripts/contract.mjs';
import * as protocol from '../../src/protocol';
import { checkCSharp, checkDocs, checkGDScript, type SourceFile } from '../contract/drift';
import { CSHARP_CLIENT_ONLY, CSHARP_HOME, CSHARP_ROOT, DOCS, GDSCRIPT_ROOTS } from '../contract/sources';

const PROTOCOL_TS = readFileSync('src/protocol.ts', 'utf8');
const contract = contractOf(PROTOCOL_TS, protocol);

function read(root: string, ext: string): SourceFile[] {
  if (!existsSync(root)) throw new Error(`${root} does not exist: point test/contract/sources.ts at where the client lives now`);
  const out: SourceFile[] = [];
  for (const name of readdirSync(root).sort()) {
    const path = join(root, name);
    if (statSync(path).isDirectory()) out.push(...read(path, ext));
    else if (path.endsWith(ext)) out.push({ path, text: readFileSync(path, 'utf8') });
  }
  return out;
}

const csharp = read(CSHARP_ROOT, '.cs');
const gdscript = GDSCRIPT_ROOTS.map((root) => ({ root, files: read(root, '.gd') }));
const docs = readFileSync(DOCS, 'utf8');

/** The contract as it would be with one more value in a group (as the server would add a reason). */
function withValue(group: string, key: string, value: string | number): Contract {
  const module = { ...protocol, [group]: { ...(protocol as unknown as Record<string, Record<string, unknown>>)[group], [key]: value } };
  return contractOf(PROTOCOL_TS, module);
}

describe('contract.json from src/protocol.ts', () => {
  it('holds every constant group with the values the server uses', () => {
    expect(contract.constants.EndReason).toEqual(protocol.EndReason);
    expect(contract.constants.RejectReason).toEqual(protocol.RejectReason);
    expect(contract.constants.OpCode).toEqual(protocol.OpCode);
    expect(contract.constants.ResumeStatus).toEqual(protocol.ResumeStatus);
    expect(Object.keys(contract.constants).sort()).toEqual(['AckResult', 'EndReason', 'IdempotencyError', 'MessageError', 'OpCode', 'RejectReason', 'ResumeStatus', 'Rpc', 'RpcErrorReason', 'SeatReason', 'SeatStatus']);
    expect([contract.protocolVersion, contract.maxActionSeq, contract.matchModule]).toEqual([protocol.PROTOCOL_VERSION, protocol.MAX_ACTION_SEQ, protocol.MATCH_MODULE]);
  });

  it('lists each message type with its fields and which are optional', () => {
    expect(Object.keys(contract.messages)).toEqual(Object.keys(protocol.OpCode));
    const seat = contract.messages.SEAT;
    expect(seat.op).toBe(2);
    expect(seat.fields!.map((f) => `${f.name}${f.optional ? '?' : ''}`)).toEqual(['seq', 'tick', 'seat', 'userId', 'status', 'reason', 'deadlineTick?', 'graceTicksLeft?']);
    expect(contract.messages.EVENT.open).toBe(true);
    expect(contract.messages.RESYNC.fields).toEqual([]);
    expect(contract.messages.SNAPSHOT.fields!.find((f) => f.name === 'you')!.fields!.map((f) => f.name)).toEqual(['seat', 'userId']);
    expect(contract.types.SeatView.fields!.find((f) => f.name === 'graceTicksLeft')).toEqual({ name: 'graceTicksLeft', type: 'number', optional: true });
    expect(contract.joinMetadata.fields).toEqual([{ name: 'token', type: 'string', optional: true }]);
  });

  it('lists each RPC with its payload and answer, session_resume by status', () => {
    expect(Object.keys(contract.rpcs)).toEqual(Object.values(protocol.Rpc));
    const resume = contract.rpcs.session_resume.answer.variants!;
    expect(resume.map((v) => v.fields![0].type)).toEqual(Object.values(protocol.ResumeStatus).map((s) => JSON.stringify(s)));
    expect(resume[1].fields!.map((f) => f.name)).toEqual(['status', 'matchId', 'seat', 'mode', 'node']);
    expect(contract.rpcs.shop_purchase.payload.fields!.map((f) => f.name)).toEqual(['idempotencyKey', 'itemId', 'quantity']);
  });

  it('refuses to build a contract with an op code that has no payload type', () => {
    expect(() => contractOf(PROTOCOL_TS, { ...protocol, OpCode: { ...protocol.OpCode, PING: 7 } })).toThrow(/Messages has no entry for OpCode.PING/);
    expect(() => contractOf(PROTOCOL_TS, { ...protocol, Rpc: { ...protocol.Rpc, LEADERBOARD: 'leaderboard' } })).toThrow(/RpcCalls has no entry for Rpc.LEADERBOARD/);
  });

  it('is exported by the package as nakama-rejoin/protocol/contract.json', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(pkg.exports['./protocol/contract.json']).toBe('./dist/protocol/contract.json');
    expect(pkg.files).toContain('dist');
    expect(readFileSync('scripts/build-lib.mjs', 'utf8')).toMatch(/dist\/protocol\/contract\.json/);
  });
});

describe('the clients and the docs state the contract', () => {
  it('C#: every constant, under the name and with the value of the contract', () => {
    expect(checkCSharp(contract, csharp, CSHARP_HOME, CSHARP_CLIENT_ONLY)).toEqual([]);
  });

  it('GDScript: every client declares every constant', () => {
    expect(checkGDScript(contract, gdscript)).toEqual([]);
  });

  it('docs/protocol.md: its tables, prose and field lists', () => {
    expect(checkDocs(contract, docs, DOCS)).toEqual([]);
  });
});

describe('drift is caught', () => {
  const added = withValue('EndReason', 'FORFEITED', 'forfeited');

  it('a reason added on the server and missing in a client or the docs fails, naming it and the file', () => {
    expect(checkCSharp(added, csharp, CSHARP_HOME, CSHARP_CLIENT_ONLY)).toEqual([`${CSHARP_HOME}: EndReason.Forfeited is missing (contract EndReason.FORFEITED = "forfeited")`]);
    const gd = checkGDScript(added, gdscript);
    expect(gd.length).toBeGreaterThanOrEqual(GDSCRIPT_ROOTS.length);
    for (const root of GDSCRIPT_ROOTS) expect(gd.some((p) => p.startsWith(root) && p.includes('END_REASON_FORFEITED is missing'))).toBe(true);
    expect(checkDocs(added, docs, DOCS)).toEqual([`${DOCS}: EndReason.FORFEITED \`forfeited\` is not stated in "### END (op 5)"`]);
  });

  it('a new constant group fails until each client and the docs have it', () => {
    const grown = withValue('KickReason', 'IDLE', 'idle');
    expect(checkCSharp(grown, csharp, CSHARP_HOME)).toContain(`${CSHARP_HOME}: KickReason.Idle is missing (contract KickReason.IDLE = "idle")`);
    expect(checkGDScript(grown, gdscript).filter((p) => p.includes('KICK_REASON_IDLE is missing')).length).toBeGreaterThanOrEqual(GDSCRIPT_ROOTS.length);
    expect(checkDocs(grown, docs, DOCS)).toContain(`${DOCS}: the contract's KickReason has no place in the docs check (test/contract/drift.ts)`);
  });

  it('C#: a wrong value, and a value the contract no longer has', () => {
    const files = csharp.map((f) => ({ ...f, text: f.text.replace('Moved = "moved"', 'Moved = "move"').replace('Operator = "operator";', 'Operator = "operator";\n        public const string Crashed = "crashed";') }));
    expect(checkCSharp(contract, files, CSHARP_HOME, CSHARP_CLIENT_ONLY)).toEqual([
      `${CSHARP_HOME}: EndReason.Moved is "move", the contract's EndReason.MOVED is "moved"`,
      `${CSHARP_HOME}: EndReason.Crashed is not in the contract (removed or renamed there?)`,
    ]);
  });

  it('GDScript: one client that lost a constant fails alone, and a client with none at all fails', () => {
    const [first, ...rest] = gdscript;
    const cut = { ...first, files: first.files.map((f) => ({ ...f, text: f.text.replace(/^const OP_QUIT = 102\n/m, '') })) };
    const problems = checkGDScript(contract, [cut, ...rest]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${first.root}/\\S+\\.gd: OP_QUIT is missing \\(contract OpCode.QUIT = 102\\)$`));
    const empty = { root: 'engines/godot/elsewhere', files: [{ path: 'engines/godot/elsewhere/a.gd', text: 'extends Node\n' }] };
    expect(checkGDScript(contract, [empty])).toEqual([`engines/godot/elsewhere: no .gd file declares the contract's constants (PROTOCOL_VERSION, MATCH_MODULE, MAX_ACTION_SEQ, …)`]);
  });

  it('docs: a missing table row, a stale row, and a field list that differs', () => {
    const mutated = docs
      .replace(/^\| `rate_limited` \|.*\n/m, '')
      .replace('| `not_seated` |', '| `not_seated` | x |\n| `too_big` |')
      .replace('`{seq, tick, seat, userId, status, reason, deadlineTick?, graceTicksLeft?}`', '`{seq, tick, seat, userId, status, reason, graceTicksLeft}`');
    expect(checkDocs(contract, mutated, DOCS)).toEqual([
      `${DOCS}: RejectReason.RATE_LIMITED (\`rate_limited\`) has no row in the "rejectMessage" table of "## Joining"`,
      `${DOCS}: the "code" table of "### ERROR (op 6)" has a row \`too_big\` that is not in the contract's MessageError`,
      `${DOCS}: op 2 SEAT's payload: field deadlineTick? is missing`,
      `${DOCS}: op 2 SEAT's payload: field graceTicksLeft? is missing`,
      `${DOCS}: op 2 SEAT's payload: field graceTicksLeft is not in the contract`,
    ]);
  });
});
