import { createHash } from 'node:crypto';

/** A statement for `client.query({ ...statement, values })`: named when prepared statements are on. */
export interface Statement {
  readonly name?: string;
  readonly text: string;
}

/** Turns SQL text into the statement the store sends. */
export type Statements = (text: string) => Statement;

/**
 * Named statements: each connection parses a statement once and from then on only binds and runs it (under
 * load, parsing and planning took about half of an apply statement's time). The name is a hash of the text, so
 * stores on different tables never share one. With `named` false, the text alone (parsed on every call).
 */
export function statements(named: boolean): Statements {
  if (!named) return (text) => ({ text });
  const byText = new Map<string, Statement>();
  return (text) => {
    let statement = byText.get(text);
    if (statement === undefined) {
      const name = `lty_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
      statement = { name, text };
      byText.set(text, statement);
    }
    return statement;
  };
}
