import {
  BACKSLASH,
  CLOSE_ARRAY,
  CLOSE_OBJECT,
  COLON,
  COMMA,
  OPEN_ARRAY,
  OPEN_OBJECT,
  QUOTE,
} from './json-bytes.js';
/** What a JsonListSplitter hands out while a list response streams in. */
export interface JsonListHandlers {
  /** A top-level member other than the split arrays (kind, metadata, columnDefinitions…), parsed. */
  onMember(key: string, value: unknown): void;
  /** One element of a split top-level array (`items`, `rows`), parsed on its own. */
  onElement(arrayKey: string, value: unknown): void;
  /**
   * When present, elements come here instead of to onElement, unparsed: the bytes of one element
   * (a view into the chunk, valid only during the call; copy what you keep). For a handler that
   * reads one part of each element and would rather not build its whole tree. Such bytes are
   * checked for balanced brackets and closed strings only; the handler validates what it reads.
   */
  onElementBytes?(arrayKey: string, bytes: Buffer): void;
}

type Capture = 'none' | 'key' | 'member' | 'element';

/**
 * Splits a Kubernetes list response (`{"kind":…,"metadata":…,"items":[…]}`) into its elements
 * while the bytes arrive, so a page is parsed one row at a time: memory holds one element's
 * text and its parsed value, never the page as one string and one tree.
 *
 * It only finds value boundaries (depth, strings, escapes) and leaves the parsing of each value
 * to JSON.parse, which is native and fast; it does not validate JSON beyond what JSON.parse of
 * each piece validates. The top level must be an object.
 */
export class JsonListSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Where the top-level object is: before a key, between key and colon, or before a value. */
  private expect: 'key' | 'colon' | 'value' | 'next' = 'key';
  private key = '';
  private splitting = false;
  private capture: Capture = 'none';
  private captureContainer = false;
  private captureStart = 0;
  private parts: Buffer[] = [];
  private done = false;

  constructor(
    private readonly arrayKeys: ReadonlySet<string>,
    private readonly handlers: JsonListHandlers,
  ) {}

  /** Feeds the next chunk of the body. Throws SyntaxError on malformed input. */
  write(chunk: Buffer): void {
    let i = 0;
    const length = chunk.length;
    while (i < length) {
      if (this.captureContainer && this.capture !== 'none') i = this.skipContainer(chunk, i);
      else if (this.inString) i = this.skipString(chunk, i);
      else this.structural(chunk, i++);
    }
    if (this.capture !== 'none') {
      this.parts.push(chunk.subarray(this.captureStart));
      this.captureStart = 0;
    }
  }

  /** Call when the body has ended; throws if the document was cut short. */
  end(): void {
    if (!this.done) throw new SyntaxError('list response ended before its closing brace');
  }

  /**
   * Inside a captured container (a member's or an element's object or array): only brackets and
   * strings matter until it closes, so this is one tight loop over the bytes, the hot path of a
   * list (almost every byte of a page is inside an element). Returns the index after the
   * container's closing bracket (having handed it out), or the chunk's end.
   */
  private skipContainer(chunk: Buffer, from: number): number {
    const outer = this.capture === 'member' ? 1 : 2;
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    const length = chunk.length;
    for (let i = from; i < length; i++) {
      const b = chunk[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) inString = false;
      } else if (b === QUOTE) inString = true;
      else if (b === OPEN_OBJECT || b === OPEN_ARRAY) depth++;
      else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
        if (--depth === outer) {
          this.depth = depth;
          this.inString = false;
          this.escaped = false;
          this.emit(chunk, i + 1);
          return i + 1;
        }
      }
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    return length;
  }

  /** Advances past string content; returns the index after the closing quote (or the chunk end). */
  private skipString(chunk: Buffer, from: number): number {
    let i = from;
    if (this.escaped) {
      this.escaped = false;
      i++;
    }
    for (;;) {
      const quote = chunk.indexOf(QUOTE, i);
      if (quote === -1) {
        this.escaped = oddBackslashesBefore(chunk, chunk.length, i);
        return chunk.length;
      }
      if (oddBackslashesBefore(chunk, quote, i)) {
        i = quote + 1;
        continue;
      }
      this.inString = false;
      if (this.capture === 'key') this.finishKey(chunk, quote + 1);
      return quote + 1;
    }
  }

  private structural(chunk: Buffer, i: number): void {
    const b = chunk[i]!;
    switch (b) {
      case QUOTE:
        this.valueStarts(i, false);
        if (this.depth === 1 && this.expect === 'key') this.begin('key', i, false);
        this.inString = true;
        return;
      case OPEN_OBJECT:
      case OPEN_ARRAY:
        if (this.depth === 0 && b === OPEN_OBJECT) this.expect = 'key';
        else if (this.depth === 0) throw new SyntaxError('a list response must be a JSON object');
        else if (
          this.depth === 1 &&
          this.expect === 'value' &&
          b === OPEN_ARRAY &&
          this.arrayKeys.has(this.key)
        ) {
          this.splitting = true;
          this.expect = 'next';
        } else this.valueStarts(i, true);
        this.depth++;
        return;
      case CLOSE_OBJECT:
      case CLOSE_ARRAY:
        this.closes(chunk, i);
        return;
      case COLON:
        if (this.depth === 1) this.expect = 'value';
        return;
      case COMMA:
        this.endPrimitive(chunk, i);
        if (this.depth === 1) this.expect = 'key';
        return;
      case 0x20:
      case 0x0a:
      case 0x0d:
      case 0x09:
        return;
      default:
        this.valueStarts(i, false);
    }
  }

  /** A value begins at `i`: capture it when it is a top-level member or a split element. */
  private valueStarts(i: number, container: boolean): void {
    if (this.capture !== 'none') return;
    if (this.depth === 1 && this.expect === 'value') {
      this.begin('member', i, container);
      this.expect = 'next';
    } else if (this.depth === 2 && this.splitting) this.begin('element', i, container);
  }

  private closes(chunk: Buffer, i: number): void {
    this.endPrimitive(chunk, i);
    this.depth--;
    if (this.depth < 0) throw new SyntaxError('unbalanced closing bracket in list response');
    if (this.depth === 1 && this.splitting) this.splitting = false;
    else if (this.depth === 0) this.done = true;
  }

  /** A comma or closing bracket ends a primitive value captured at this depth. */
  private endPrimitive(chunk: Buffer, i: number): void {
    if (this.capture === 'none' || this.captureContainer) return;
    const atDepth = this.capture === 'member' ? 1 : 2;
    if (this.depth === atDepth) this.emit(chunk, i);
  }

  private begin(capture: Capture, start: number, container: boolean): void {
    this.capture = capture;
    this.captureContainer = container;
    this.captureStart = start;
    this.parts = [];
  }

  /** The captured value's bytes: a view into the chunk, or the parts joined when it spans chunks. */
  private takeBytes(chunk: Buffer, end: number): Buffer {
    const tail = chunk.subarray(this.captureStart, end);
    const bytes = this.parts.length === 0 ? tail : Buffer.concat([...this.parts, tail]);
    this.parts = [];
    this.capture = 'none';
    this.captureContainer = false;
    return bytes;
  }

  private takeText(chunk: Buffer, end: number): string {
    return this.takeBytes(chunk, end).toString('utf8');
  }

  private finishKey(chunk: Buffer, end: number): void {
    this.key = JSON.parse(this.takeText(chunk, end)) as string;
    this.expect = 'colon';
  }

  private emit(chunk: Buffer, end: number): void {
    const kind = this.capture;
    const { onElementBytes } = this.handlers;
    if (kind === 'element' && onElementBytes) {
      onElementBytes.call(this.handlers, this.key, this.takeBytes(chunk, end));
      return;
    }
    const value: unknown = JSON.parse(this.takeText(chunk, end));
    if (kind === 'member') this.handlers.onMember(this.key, value);
    else this.handlers.onElement(this.key, value);
  }
}

/** Whether the run of backslashes just before `end` (not looking before `floor`) is odd. */
function oddBackslashesBefore(chunk: Buffer, end: number, floor: number): boolean {
  let n = 0;
  for (let j = end - 1; j >= floor && chunk[j] === BACKSLASH; j--) n++;
  return n % 2 === 1;
}
