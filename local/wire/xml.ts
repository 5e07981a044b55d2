/** Just enough XML writing for AWS Query responses: escaped text elements and nesting, as strings. */

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** `<name>children</name>`, where the children are already XML. */
export function element(name: string, ...children: string[]): string {
  return `<${name}>${children.join('')}</${name}>`;
}

/** `<name>value</name>` with the value escaped (dates as ISO-8601 UTC); nothing when the value is absent. */
export function textElement(name: string, value: string | number | Date | undefined): string {
  if (value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return `<${name}>${escapeXml(text)}</${name}>`;
}
