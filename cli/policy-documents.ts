import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { isPlainRecord } from '#lib/policy/attribute-checks';
import { CliError } from './errors';

/** The records of one policy file, with where they came from (for messages). */
export interface PolicySource {
  /** The file name, or `stdin`. */
  readonly label: string;
  readonly records: readonly Record<string, unknown>[];
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

async function readText(path: string): Promise<string> {
  try {
    return path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new CliError(`cannot read ${path}: ${reason}`, { cause: error });
  }
}

function recordsOf(value: unknown, label: string): Record<string, unknown>[] {
  if (value === null || value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  list.forEach((entry, index) => {
    if (!isPlainRecord(entry)) {
      const where = Array.isArray(value) ? `entry ${index + 1}` : 'the document';
      throw new CliError(`${label}: ${where} is not a policy (a map of attributes)`);
    }
  });
  return list as Record<string, unknown>[];
}

/**
 * The value of each document in `text`. A text that starts like JSON is read with JSON.parse first: YAML's
 * parser takes seconds per ten megabytes, JSON.parse a fraction of one (a file of 200,000 policies). As with
 * jq or the AWS CLI, a key repeated in a JSON map keeps its last value. Anything JSON.parse refuses (YAML's
 * flow style, or a broken file) goes to the YAML parser, whose error then says what is wrong.
 */
function documentValues(text: string, label: string): unknown[] {
  if (/^\s*[[{]/.test(text)) {
    try {
      return [JSON.parse(text)];
    } catch {
      // Not JSON: YAML reads it, or reports why it cannot.
    }
  }
  return parseAllDocuments(text).map((document) => {
    const [problem] = document.errors;
    if (problem) {
      // The first line: what is wrong and where. YAML's messages do not quote the document's values.
      const reason = problem.message.split('\n')[0];
      throw new CliError(`${label}: not valid JSON or YAML: ${reason}`);
    }
    return document.toJS();
  });
}

/**
 * The policy records in `text`: JSON or YAML (JSON is YAML), each document one policy or a list of them,
 * several YAML documents separated by `---` allowed. Records are returned as written, not validated; a map
 * key such as `__proto__` or `constructor` is an own attribute like any other.
 */
export function parsePolicyDocuments(text: string, label: string): PolicySource {
  const records: Record<string, unknown>[] = [];
  for (const value of documentValues(text, label)) {
    for (const record of recordsOf(value, label)) records.push(record);
  }
  if (records.length === 0) throw new CliError(`${label} holds no policy`);
  return { label, records };
}

/** Reads and parses `<file|->` (`-` is stdin). */
export async function readPolicySource(path: string): Promise<PolicySource> {
  return parsePolicyDocuments(await readText(path), path === '-' ? 'stdin' : path);
}
