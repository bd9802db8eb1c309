// The Godot addons users copy (engines/godot/godot3 and godot4) are what `npm run build:godot`
// assembles from engines/godot/src, and the Godot 3 translation turns each form the source uses
// into its Godot 3 equivalent or refuses it. Whether the result runs is the engine tests' job
// (test/engines): this is what holds without a Godot.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { staleGodotFiles, toGodot3 } from '../../scripts/godot-assemble.mjs';

describe('the assembled Godot addons', () => {
  it('are what npm run build:godot writes from engines/godot/src', () => {
    expect(staleGodotFiles(process.cwd())).toEqual([]);
  });

  it('each ship the LICENSE and a prefixed class name', () => {
    const license = readFileSync('LICENSE', 'utf8');
    expect(license).toContain('Apache License');
    for (const v of ['godot3', 'godot4']) {
      expect(readFileSync(`engines/godot/${v}/addons/nakama_rejoin/LICENSE`, 'utf8')).toBe(license);
      expect(readFileSync(`engines/godot/${v}/addons/nakama_rejoin/rejoin_client.gd`, 'utf8')).toMatch(/^class_name NakamaRejoinClient$/m);
    }
  });
});

describe('toGodot3', () => {
  const t = (src: string) => toGodot3(src, 'test.gd');

  it('turns awaits on calls and signals into yields', () => {
    expect(t('func f():\n\tvar r = await client.rpc_async(s, "x", {"a": [1]})\n')).toBe('func f():\n\tvar r = yield(client.rpc_async(s, "x", {"a": [1]}), "completed")\n');
    expect(t('func f():\n\tawait _tree().create_timer(1.0).timeout\n')).toBe('func f():\n\tyield(_tree().create_timer(1.0), "timeout")\n');
    expect(t('func f():\n\tawait self.process_frame\n')).toBe('func f():\n\tyield(self, "idle_frame")\n');
    expect(t('func f():\n\tif not await g(1):\n\t\treturn\n')).toBe('func f():\n\tif not yield(g(1), "completed"):\n\t\treturn\n');
    expect(t('func f():\n\twhile (await coins(p)) != 900:\n\t\tpass\n')).toBe('func f():\n\twhile (yield(coins(p), "completed")) != 900:\n\t\tpass\n');
  });

  it('yields on a Callable only when it turned out to be a coroutine', () => {
    expect(t('func f():\n\tvar s = await again.call()\n')).toBe('func f():\n\tvar s = again.call_func()\n\tif s is GDScriptFunctionState:\n\t\ts = yield(s, "completed")\n');
  });

  it('turns signal objects into names, bound arguments into the binds array', () => {
    expect(t('x.closed.connect(_on_closed.bind(x))')).toBe('x.connect("closed", self, "_on_closed", [x])');
    expect(t('_tree().create_timer(s).timeout.connect(w.finish.bind(v))')).toBe('_tree().create_timer(s).connect("timeout", w, "finish", [v])');
    expect(t('if a.b.is_connected(_m):')).toBe('if a.is_connected("b", self, "_m"):');
    expect(t('a.b.disconnect(_m)')).toBe('a.disconnect("b", self, "_m")');
  });

  it('keeps a fire-and-forget coroutine alive, as Godot 3 needs', () => {
    const out = t('func co():\n\tawait self.process_frame\n\n\nfunc f():\n\tco()\n\tlater(co)\n');
    expect(out).toContain('\t_keep(co())\n');
    expect(out).toContain('\tlater(co)\n');
    expect(out).toMatch(/^func _keep\(coroutine\) -> void:$/m);
    expect(t('func f():\n\tplain()\n')).not.toContain('_keep');
  });

  it('maps the Godot 4 names of the same things', () => {
    expect(t('extends RefCounted\nvar a = PackedStringArray()\nvar j = JSON.stringify(b)\nvar p = JSON.parse_string(j)\nvar c = Callable(self, "m")\nc.call(1)\n')).toBe(
      'extends Reference\nvar a = PoolStringArray()\nvar j = to_json(b)\nvar p = parse_json(j)\nvar c = funcref(self, "m")\nc.call_func(1)\n',
    );
  });

  it('turns one-line property accessors into setget', () => {
    expect(t('var state: int: get = _get_state, set = _read_only\n')).toBe('var state: int setget _read_only, _get_state\n');
    expect(t('var seat := -1: set = _s, get = _g  # why\n')).toBe('var seat := -1 setget _s, _g  # why\n');
    expect(t('var session: get = _get_session\n')).toBe('var session setget , _get_session\n');
    expect(t('var log_func = null: set = _set_log\n')).toBe('var log_func = null setget _set_log\n');
  });

  it('refuses a script that uses its own property, whose accessors Godot 3 would skip', () => {
    const head = 'signal joined(match_id)\nvar match_id: String: get = _get_match_id\nvar _match_id := ""\n\n\nfunc _get_match_id() -> String:\n\treturn _match_id\n';
    expect(() => t(head)).not.toThrow();
    expect(() => t(`${head}\n\nfunc f():\n\tprint(self.match_id, "match_id")\n`)).not.toThrow();
    expect(() => t(`${head}\n\nfunc f():\n\tprint(match_id)\n`)).toThrow(/test.gd:11: uses its own property match_id/);
    expect(() => t(`${head}\n\nfunc f():\n\tmatch_id = "x"\n`)).toThrow(/uses its own property match_id/);
  });

  it('leaves comments and strings alone', () => {
    expect(t('# await x.y\nvar s = "not in await"  # x.b.connect(m)\n')).toBe('# await x.y\nvar s = "not in await"  # x.b.connect(m)\n');
  });

  it('refuses Godot 4 code it does not know rather than guess', () => {
    expect(() => t('func f():\n\tawait x\n')).toThrow(/cannot translate this await/);
    expect(() => t('var s = Time.get_ticks_msec()')).toThrow(/does not know/);
    expect(() => t('x.done.connect(func(): pass)')).toThrow(/cannot translate this signal call/);
    expect(() => t('if a is not B:')).toThrow(/does not know/);
    expect(() => t('var p: int:\n\tget:\n\t\treturn 1\n')).toThrow(/does not know/);
    expect(() => t('var p = {"a": 1}: get = _g\n')).toThrow(/does not know/);
  });
});
