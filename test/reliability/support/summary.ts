/**
 * Prints the one summary line of a reliability part (e.g. `faults: slots 1000, duplicates 0, lost 0`),
 * on stderr so it shows in every vitest reporter and in CI logs.
 */
export function printSummary(part: string, counts: Readonly<Record<string, number | string>>): string {
  const line = `${part}: ${Object.entries(counts)
    .map(([name, value]) => `${name} ${value}`)
    .join(', ')}`;
  process.stderr.write(`${line}\n`);
  return line;
}
