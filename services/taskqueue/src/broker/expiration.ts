// The per-message `expiration` property as RabbitMQ 3.10 reads it (rabbit_basic:parse_expiration:
// Erlang's string:to_integer, then rabbit_misc:check_expiry), with its error texts word for word,
// probed on 3.10.8 (test/conformance/edge-cases.test.ts): '+5' is 5, '-0' is 0, '5s' is
// {leftover_string,"s"}, '-5' is {value_negative,-5}, above ten years {value_too_large,N}.

/** RabbitMQ's ceiling for a TTL: ten years in milliseconds */
export const MAX_EXPIRY_MS = 315_360_000_000;

/** the TTL in ms, or the text of the 406 that refuses it */
export function checkExpiration(expiration: string): number | string {
  const prefix = `invalid expiration '${expiration}': `;
  const m = /^([+-]?)(\d+)(.*)$/s.exec(expiration);
  if (!m) return `${prefix}no_integer`;
  const [, sign, digits, rest] = m;
  if (rest !== '') return prefix + erlangTerm(prefix, 'leftover_string', erlangString(rest));
  const n = BigInt(digits) * (sign === '-' ? -1n : 1n);
  if (n < 0n) return prefix + erlangTerm(prefix, 'value_negative', n.toString());
  if (n > BigInt(MAX_EXPIRY_MS)) return prefix + erlangTerm(prefix, 'value_too_large', n.toString());
  return Number(n);
}

/**
 * `{tag,value}` as Erlang's ~p prints it after `prefix`: on one line while it ends before column
 * 79, else the value on a new line under the first element (seen on RabbitMQ for 19-digit values)
 */
function erlangTerm(prefix: string, tag: string, value: string): string {
  const flat = `{${tag},${value}}`;
  if (prefix.length + flat.length <= 78) return flat;
  return `{${tag},\n${' '.repeat(prefix.length + 1)}${value}}`;
}

function erlangString(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
