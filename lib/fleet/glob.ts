/**
 * Whether `name` matches `glob`, where `*` stands for any run of characters (none included), `?` for
 * exactly one, and every other character for itself (case-sensitive: cache names and validated globs are
 * lowercase). Policy validation (lib/policy/check-targets.ts) has made sure no other character occurs.
 *
 * A small scan that backtracks only to the last `*`: at most length(glob) × length(name) steps, whatever
 * the glob. Not a regular expression (picomatch and similar compile to one): a glob such as `a*a*a*…b` makes
 * a backtracking regex engine take exponential time, and globs are operator input.
 */
export function matchesGlob(glob: string, name: string): boolean {
  let at = 0;
  let of = 0;
  let star = -1;
  let starOf = 0;
  while (of < name.length) {
    const wanted = glob[at];
    if (wanted === '?' || (wanted !== undefined && wanted !== '*' && wanted === name[of])) {
      at += 1;
      of += 1;
    } else if (wanted === '*') {
      star = at;
      starOf = of;
      at += 1;
    } else if (star >= 0) {
      at = star + 1;
      starOf += 1;
      of = starOf;
    } else {
      return false;
    }
  }
  while (glob[at] === '*') at += 1;
  return at === glob.length;
}

/** The first of `globs` that `name` matches, or undefined. */
export function firstMatchingGlob(globs: readonly string[], name: string): string | undefined {
  return globs.find((glob) => matchesGlob(glob, name));
}
