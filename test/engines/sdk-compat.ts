// Mono's C# compiler (mcs, C# 7) does not parse C# 8 using declarations (`using var x = e;`),
// which the current nakama-dotnet uses in three places. This rewrites each into the C# 7 using
// statement with the same scope: `using (var x = e) { …rest of the enclosing block… }`. Disposal
// happens at the same point (the end of the enclosing block), so the SDK behaves as compiled by
// Roslyn. Applied to a copy outside the repository, at test time only.

/** Index of the `}` closing the block that contains `from`, skipping strings, chars and comments. */
function enclosingBlockEnd(src: string, from: number): number {
  let depth = 0;
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (c === '/' && src[i + 1] === '/') {
      i = src.indexOf('\n', i);
      if (i < 0) return -1;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      i = src.indexOf('*/', i) + 1;
      continue;
    }
    if (c === "'") {
      i++;
      while (i < src.length && src[i] !== "'") i += src[i] === '\\' ? 2 : 1;
      continue;
    }
    if (c === '"') {
      const verbatim = src[i - 1] === '@' || (src[i - 1] === '$' && src[i - 2] === '@') || (src[i - 1] === '@' && src[i - 2] === '$');
      i++;
      while (i < src.length) {
        if (verbatim && src[i] === '"' && src[i + 1] === '"') i += 2;
        else if (src[i] === '"') break;
        else i += !verbatim && src[i] === '\\' ? 2 : 1;
      }
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** The source with every `using var` declaration turned into a using statement. */
export function lowerUsingDeclarations(src: string): string {
  const re = /using\s+var\s+(\w+)\s*=/;
  let out = src;
  for (let guard = 0; guard < 100; guard++) {
    const m = re.exec(out);
    if (!m) return out;
    const start = m.index;
    const semi = statementEnd(out, start + m[0].length);
    const close = enclosingBlockEnd(out, semi + 1);
    if (semi < 0 || close < 0) throw new Error('cannot lower a using declaration at offset ' + start);
    const decl = out.slice(start + 'using'.length, semi).trim();
    out = out.slice(0, start) + `using (${decl}) {` + out.slice(semi + 1, close) + '}' + out.slice(close);
  }
  throw new Error('too many using declarations');
}

/** Index of the `;` ending the statement that starts at `from` (outside parentheses and strings). */
function statementEnd(src: string, from: number): number {
  let depth = 0;
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (c === '"') {
      i++;
      while (i < src.length && src[i] !== '"') i += src[i] === '\\' ? 2 : 1;
      continue;
    }
    if (c === '(' || c === '{' || c === '[') depth++;
    if (c === ')' || c === '}' || c === ']') depth--;
    if (c === ';' && depth === 0) return i;
  }
  return -1;
}
