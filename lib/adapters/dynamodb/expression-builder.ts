import type { ItemChanges } from '#lib/adapters/policy-items';
import { toMarshallable } from './document-values';

/** A document path: attribute names and map keys as strings, list indexes as numbers. */
export type DocumentPath = readonly (string | number)[];

/**
 * Collects expression attribute names and values behind placeholders, so any attribute name or map key
 * (dots, dashes, reserved words) is safe in an expression.
 */
export class ExpressionBuilder {
  private readonly names = new Map<string, string>();
  private readonly values: Record<string, unknown> = {};
  private valueCount = 0;

  /** The placeholder of one attribute name or map key (reused for the same name). */
  name(attribute: string): string {
    let placeholder = this.names.get(attribute);
    if (placeholder === undefined) {
      placeholder = `#n${this.names.size}`;
      this.names.set(attribute, placeholder);
    }
    return placeholder;
  }

  /** `#n0.#n1[2]` for a document path. */
  path(path: DocumentPath): string {
    return path
      .map((segment, index) => {
        if (typeof segment === 'number') return `[${segment}]`;
        return index === 0 ? this.name(segment) : `.${this.name(segment)}`;
      })
      .join('');
  }

  /** The placeholder of a new value. */
  value(value: unknown): string {
    const placeholder = `:v${this.valueCount++}`;
    this.values[placeholder] = toMarshallable(value);
    return placeholder;
  }

  /** `SET … REMOVE …` for the changes (ItemChanges must not be empty). */
  update(changes: ItemChanges): string {
    const sets = Object.entries(changes.set).map(
      ([name, value]) => `${this.name(name)} = ${this.value(value)}`,
    );
    const removes = changes.remove.map((name) => this.name(name));
    const clauses = [];
    if (sets.length > 0) clauses.push(`SET ${sets.join(', ')}`);
    if (removes.length > 0) clauses.push(`REMOVE ${removes.join(', ')}`);
    return clauses.join(' ');
  }

  /** ExpressionAttributeNames and ExpressionAttributeValues, each left out when empty (DynamoDB rejects `{}`). */
  attributes(): {
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
  } {
    const names = Object.fromEntries(
      [...this.names].map(([attribute, placeholder]) => [placeholder, attribute]),
    );
    return {
      ...(this.names.size > 0 ? { ExpressionAttributeNames: names } : {}),
      ...(this.valueCount > 0 ? { ExpressionAttributeValues: this.values } : {}),
    };
  }
}
