import { envListNote, type FlagDeclaration } from './flag-declaration.js';

export const TABLE_START = '<!-- config-table:start -->';
export const TABLE_END = '<!-- config-table:end -->';

const code = (text: string) => `\`${text}\``;
/** A pipe would end the table cell. */
const cell = (text: string) => text.replaceAll('|', '\\|');

function row(flag: FlagDeclaration): string {
  const name = [code(`--${flag.name}${flag.arg ? ` ${flag.arg}` : ''}`), flag.short && code(`-${flag.short}`)]
    .filter(Boolean)
    .join(', ');
  const note = envListNote(flag);
  const env = flag.env ? `${code(flag.env)}${note ? ` (${note})` : ''}` : '';
  const fallback = flag.defaultIsLiteral ? code(flag.defaultText) : flag.defaultText;
  return `| ${[`${name}${flag.repeatable ? ' (repeatable)' : ''}`, env, fallback, flag.help].map(cell).join(' | ')} |`;
}

/** The README's configuration table (markdown), one row per declared flag. */
export function renderConfigTable(flags: readonly FlagDeclaration[]): string {
  return ['| flag | environment | default | meaning |', '|---|---|---|---|', ...flags.map(row)].join('\n');
}

/** The README with the text between the table markers replaced by `table`. */
export function replaceConfigTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README has no ${TABLE_START} … ${TABLE_END} section`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${table}\n${readme.slice(end)}`;
}

/** Whether the README's marked table is the one the declarations render. */
export function configTableIsCurrent(readme: string, flags: readonly FlagDeclaration[]): boolean {
  return replaceConfigTable(readme, renderConfigTable(flags)) === readme;
}
